package io.eventy.sample;

import java.util.List;

import io.eventy.handler.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Books a shipping label with the carrier of each shipped order. The shop needs an
 * account with the carrier ({@code carrier_account}, see {@link CarrierController}): an
 * order shipped with a carrier it has none with fails, and after its retries becomes a
 * dead letter of the {@code shipping-labels} subscription. Once the account is opened
 * ({@code PUT /carriers/{carrier}}), re-driving the dead letter (web console or
 * {@code /actuator/eventy}) books the label.
 */
@Component
@ConditionalOnProperty(name = "eventy.store.type", havingValue = "postgres", matchIfMissing = true)
class ShippingLabels {

	private static final Logger logger = LoggerFactory.getLogger(ShippingLabels.class);

	private final JdbcTemplate jdbc;

	ShippingLabels(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@EventHandler(subscription = "shipping-labels")
	void book(OrderShipped shipped) {
		List<String> accounts = this.jdbc.queryForList("select carrier from carrier_account where carrier = ?",
				String.class, shipped.carrier());
		if (accounts.isEmpty()) {
			throw new NoCarrierAccountException(shipped.carrier(), shipped.orderId());
		}
		// a label booked again after a replay keeps its first number
		this.jdbc.update("""
				insert into shipping_label (order_id, carrier, label_number)
				values (?, ?, 'LBL-' || upper(substr(md5(?), 1, 10)))
				on conflict (order_id) do nothing
				""", shipped.orderId(), shipped.carrier(), shipped.orderId());
		logger.info("Booked a {} label for order {}", shipped.carrier(), shipped.orderId());
	}

	/**
	 * Return the label booked for an order.
	 * @param orderId the order id
	 * @return the label number, empty until one was booked
	 */
	List<String> label(String orderId) {
		return this.jdbc.queryForList("select label_number from shipping_label where order_id = ?", String.class,
				orderId);
	}

	/**
	 * Thrown when an order ships with a carrier the shop has no account with.
	 */
	static class NoCarrierAccountException extends IllegalStateException {

		private static final long serialVersionUID = 1L;

		NoCarrierAccountException(String carrier, String orderId) {
			super("No account with carrier '" + carrier + "' for the label of order " + orderId
					+ ": open one with PUT /carriers/{carrier}, then re-drive this dead letter");
		}

	}

}
