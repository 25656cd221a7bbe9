/**
 * Spring Boot auto-configuration of Eventy:
 * {@link io.eventy.autoconfigure.EventyProperties} and the core beans.
 */
@NullMarked
package io.eventy.autoconfigure;

import org.jspecify.annotations.NullMarked;
