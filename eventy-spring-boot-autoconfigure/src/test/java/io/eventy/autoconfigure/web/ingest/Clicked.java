package io.eventy.autoconfigure.web.ingest;

import java.time.LocalDate;

import io.eventy.record.RecordType;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * An event a front end logs.
 *
 * @param element what was clicked
 * @param x where, in pixels from the left
 * @param primary whether with the primary button
 * @param button which button
 * @param day when
 */
@RecordType(namespace = "urn:ingest")
record Clicked(@NotBlank String element, @PositiveOrZero int x, boolean primary, Button button, LocalDate day) {

	enum Button {

		LEFT, RIGHT

	}

}
