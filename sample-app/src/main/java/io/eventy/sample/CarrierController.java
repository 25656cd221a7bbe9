package io.eventy.sample;

import java.util.List;

import jakarta.validation.constraints.Pattern;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The carriers the shop has an account with, which {@link ShippingLabels} books labels
 * with: {@code GET /carriers} lists them, {@code PUT /carriers/{carrier}} opens one.
 */
@RestController
@ConditionalOnProperty(name = "eventy.store.type", havingValue = "postgres", matchIfMissing = true)
class CarrierController {

	private final JdbcTemplate jdbc;

	CarrierController(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@GetMapping("/carriers")
	List<String> carriers() {
		return this.jdbc.queryForList("select carrier from carrier_account order by carrier", String.class);
	}

	@PutMapping("/carriers/{carrier}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void open(@PathVariable @Pattern(regexp = "[\\p{L}\\p{N} .&'-]{1,100}",
			message = "must be 1 to 100 letters, digits, spaces or .&'-") String carrier) {
		this.jdbc.update("insert into carrier_account (carrier) values (?) on conflict (carrier) do nothing", carrier);
	}

}
