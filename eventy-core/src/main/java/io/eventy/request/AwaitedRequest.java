package io.eventy.request;

import java.util.UUID;

/**
 * A request whose response a {@link DefaultRequestClient} looks for: pending, or timed
 * out a short while ago (so that a late response is noticed).
 *
 * @param uuid the request's uuid, the {@code request_uuid} of its response
 * @param position the request's position in the store; its response comes after it
 */
public record AwaitedRequest(UUID uuid, long position) {
}
