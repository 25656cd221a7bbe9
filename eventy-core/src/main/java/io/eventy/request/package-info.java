/**
 * Sending requests to other services and awaiting their responses:
 * {@link io.eventy.request.RequestClient}.
 */
@NullMarked
package io.eventy.request;

import org.jspecify.annotations.NullMarked;
