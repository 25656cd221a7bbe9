/**
 * Auto-configuration of trace and request ids for HTTP: the servlet filter for incoming
 * requests and the interceptor that sends the ids with outgoing ones.
 */
@NullMarked
package io.eventy.autoconfigure.web;

import org.jspecify.annotations.NullMarked;
