/**
 * Auto-configuration of the request client and of the listeners that hand it the
 * responses.
 */
@NullMarked
package io.eventy.autoconfigure.request;

import org.jspecify.annotations.NullMarked;
