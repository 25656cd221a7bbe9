package io.eventy.sample;

import io.eventy.record.RecordType;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * A customer looked at an order in the shop's front end, which logs it over HTTP with
 * Eventy's ingest endpoint ({@code POST /event/log}); no handler of this service needs
 * it.
 *
 * @param orderId the order id
 * @param seconds how long the page was open
 */
@RecordType(namespace = "urn:shop")
public record OrderViewed(@NotBlank String orderId, @PositiveOrZero long seconds) {

}
