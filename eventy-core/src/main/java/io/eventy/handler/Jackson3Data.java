package io.eventy.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventy.record.Jackson3PayloadConverter;
import io.eventy.record.PayloadConverter;
import tools.jackson.databind.json.JsonMapper;

/**
 * A record's {@code data} as the Jackson 3 tree a handler parameter of type
 * {@code tools.jackson.databind.JsonNode} or {@code ObjectNode} receives.
 * <p>
 * References Jackson 3: {@link HandlerSignature} loads it only for such a parameter, so
 * applications without Jackson 3 never do. The data is copied with Jackson 3's defaults
 * whatever {@link PayloadConverter} the application configured: the raw tree carries no
 * application setting, as a Jackson 2 {@code JsonNode} parameter receives the data as
 * stored.
 */
final class Jackson3Data {

	private static final PayloadConverter converter = new Jackson3PayloadConverter(JsonMapper.shared());

	private Jackson3Data() {
	}

	/**
	 * Copy a record's data as a Jackson 3 object.
	 * @param data the record's data
	 * @return a {@code tools.jackson.databind.node.ObjectNode}, typed {@code Object} so
	 * that callers need no Jackson 3 type to link
	 */
	static Object of(ObjectNode data) {
		return converter.fromData(data, tools.jackson.databind.node.ObjectNode.class);
	}

}
