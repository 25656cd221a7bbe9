package io.eventy.sample;

import java.net.URI;
import java.util.List;

import io.eventy.store.StoredRecord;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Places and ships orders, and shows an order's history and its summary (the read model).
 * <p>
 * What is wrong with a request is a 400 problem detail naming each field
 * ({@link ApiExceptionHandler}): an order id that cannot be a stream id
 * ({@link ValidOrderId}), a body that is not JSON of the expected shape, and data the
 * order's records do not accept (Eventy validates them before anything is stored). Bodies
 * larger than {@code sample.http.max-body-size} are refused with 413
 * ({@link RequestBodyLimitFilter}).
 */
@RestController
@RequestMapping("/orders")
class OrderController {

	private final OrderLedger orders;

	OrderController(OrderLedger orders) {
		this.orders = orders;
	}

	@PostMapping
	ResponseEntity<OrderResponse> place(@Valid @RequestBody PlaceOrder request) {
		StoredRecord placed = this.orders.place(request.orderId(), request.customer(), request.amountCents());
		String orderId = placed.payload(OrderPlaced.class).orderId();
		return ResponseEntity.created(URI.create("/orders/" + orderId + "/history"))
			.body(OrderResponse.of(orderId, placed));
	}

	@PostMapping("/{orderId}/ship")
	OrderResponse ship(@PathVariable @ValidOrderId String orderId, @RequestBody ShipOrder request) {
		return OrderResponse.of(orderId, this.orders.ship(orderId, request.carrier()));
	}

	@GetMapping("/{orderId}/history")
	List<HistoryEntry> history(@PathVariable @ValidOrderId String orderId) {
		return this.orders.history(orderId).stream().map(HistoryEntry::of).toList();
	}

	@GetMapping("/{orderId}/summary")
	OrderSummary summary(@PathVariable @ValidOrderId String orderId) {
		return this.orders.summary(orderId).orElseThrow(() -> new OrderNotProjectedException(orderId));
	}

	/**
	 * The body of {@code POST /orders}.
	 *
	 * @param orderId the order id, or {@code null} for a new one
	 * @param customer who places the order
	 * @param amountCents what it costs, in cents
	 */
	record PlaceOrder(@ValidOrderId @Nullable String orderId, @Nullable String customer, long amountCents) {

	}

	/**
	 * The body of {@code POST /orders/{id}/ship}.
	 *
	 * @param carrier who carries the order
	 */
	record ShipOrder(@Nullable String carrier) {

	}

	/**
	 * An order and its version after a change.
	 *
	 * @param orderId the order id
	 * @param version the order stream's version
	 * @param type the record that was stored
	 */
	record OrderResponse(String orderId, long version, String type) {

		static OrderResponse of(String orderId, StoredRecord record) {
			return new OrderResponse(orderId, record.streamVersion(), record.record().qualifiedName());
		}

	}

	/**
	 * One record of an order's history.
	 *
	 * @param type the record type, {@code namespace:name}
	 * @param version the version in the order's stream
	 * @param position the global position in the store
	 * @param uuid the record's uuid
	 * @param correlationId the trace id of the request that wrote it
	 * @param requestId the id of the request that wrote it
	 * @param date when it was written
	 * @param data the record's data
	 */
	record HistoryEntry(String type, long version, long position, String uuid, @Nullable String correlationId,
			@Nullable String requestId, String date, JsonNode data) {

		static HistoryEntry of(StoredRecord record) {
			return new HistoryEntry(record.record().qualifiedName(), record.streamVersion(), record.position(),
					record.record().uuid().toString(), record.record().correlationId(), record.requestId(),
					record.record().date().toString(), record.payload(JsonNode.class));
		}

	}

}
