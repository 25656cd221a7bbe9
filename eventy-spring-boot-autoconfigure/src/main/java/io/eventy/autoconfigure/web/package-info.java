/**
 * Auto-configuration of trace and request ids for HTTP: the servlet filter for incoming
 * requests, and the interceptor and exchange filter that send the ids with outgoing ones.
 */
@NullMarked
package io.eventy.autoconfigure.web;

import org.jspecify.annotations.NullMarked;
