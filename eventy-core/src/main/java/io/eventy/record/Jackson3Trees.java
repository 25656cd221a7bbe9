package io.eventy.record;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Copies JSON trees between Jackson 2 ({@code com.fasterxml.jackson.databind}) and
 * Jackson 3 ({@code tools.jackson.databind}) node by node: no JSON text in between, and
 * numbers keep their type and exact value. Only a POJO node, which holds an object rather
 * than JSON, is written as JSON by its own side and read by the other.
 * <p>
 * References Jackson 3: load it only when Jackson 3 is on the classpath.
 */
final class Jackson3Trees {

	private static final ObjectMapper jackson2 = new ObjectMapper();

	private static final JsonNodeFactory jackson2Nodes = JsonNodeFactory.instance;

	private final JsonMapper jsonMapper;

	/**
	 * Create a copier.
	 * @param jsonMapper supplies the Jackson 3 node factory and writes and reads the POJO
	 * nodes of Jackson 3 trees
	 */
	Jackson3Trees(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	/**
	 * Copy a Jackson 2 object as a Jackson 3 one.
	 * @param node the Jackson 2 object
	 * @return the Jackson 3 copy
	 */
	tools.jackson.databind.node.ObjectNode toJackson3(ObjectNode node) {
		tools.jackson.databind.node.ObjectNode copy = this.jsonMapper.getNodeFactory().objectNode();
		for (Map.Entry<String, JsonNode> property : node.properties()) {
			copy.set(property.getKey(), toJackson3(property.getValue()));
		}
		return copy;
	}

	/**
	 * Copy a Jackson 2 tree as a Jackson 3 one.
	 * @param node the Jackson 2 tree
	 * @return the Jackson 3 copy
	 * @throws IllegalArgumentException if a POJO node cannot be written as JSON
	 */
	tools.jackson.databind.JsonNode toJackson3(JsonNode node) {
		tools.jackson.databind.node.JsonNodeFactory nodes = this.jsonMapper.getNodeFactory();
		return switch (node.getNodeType()) {
			case OBJECT -> toJackson3((ObjectNode) node);
			case ARRAY -> {
				tools.jackson.databind.node.ArrayNode copy = nodes.arrayNode(node.size());
				for (JsonNode element : node) {
					copy.add(toJackson3(element));
				}
				yield copy;
			}
			case STRING -> nodes.stringNode(node.textValue());
			case NUMBER -> switch (node.numberType()) {
				case INT -> node.isShort() ? nodes.numberNode(node.shortValue()) : nodes.numberNode(node.intValue());
				case LONG -> nodes.numberNode(node.longValue());
				case BIG_INTEGER -> nodes.numberNode(node.bigIntegerValue());
				case FLOAT -> nodes.numberNode(node.floatValue());
				case DOUBLE -> nodes.numberNode(node.doubleValue());
				default -> nodes.numberNode(node.decimalValue());
			};
			case BOOLEAN -> nodes.booleanNode(node.booleanValue());
			case NULL -> nodes.nullNode();
			case BINARY -> nodes.binaryNode(((BinaryNode) node).binaryValue());
			case MISSING -> nodes.missingNode();
			case POJO -> this.jsonMapper.readTree(writeJackson2(node));
		};
	}

	/**
	 * Copy a Jackson 3 object as a Jackson 2 one.
	 * @param node the Jackson 3 object
	 * @return the Jackson 2 copy
	 */
	ObjectNode toJackson2(tools.jackson.databind.node.ObjectNode node) {
		ObjectNode copy = jackson2Nodes.objectNode();
		for (Map.Entry<String, tools.jackson.databind.JsonNode> property : node.properties()) {
			copy.set(property.getKey(), toJackson2(property.getValue()));
		}
		return copy;
	}

	/**
	 * Copy a Jackson 3 tree as a Jackson 2 one.
	 * @param node the Jackson 3 tree
	 * @return the Jackson 2 copy
	 * @throws IllegalArgumentException if a POJO node cannot be written as JSON
	 */
	JsonNode toJackson2(tools.jackson.databind.JsonNode node) {
		return switch (node.getNodeType()) {
			case OBJECT -> toJackson2((tools.jackson.databind.node.ObjectNode) node);
			case ARRAY -> {
				ArrayNode copy = jackson2Nodes.arrayNode(node.size());
				for (tools.jackson.databind.JsonNode element : node) {
					copy.add(toJackson2(element));
				}
				yield copy;
			}
			case STRING -> jackson2Nodes.textNode(node.stringValue());
			case NUMBER -> switch (node.numberType()) {
				case INT -> node.isShort() ? jackson2Nodes.numberNode(node.shortValue())
						: jackson2Nodes.numberNode(node.intValue());
				case LONG -> jackson2Nodes.numberNode(node.longValue());
				case BIG_INTEGER -> jackson2Nodes.numberNode(node.bigIntegerValue());
				case FLOAT -> jackson2Nodes.numberNode(node.floatValue());
				case DOUBLE -> jackson2Nodes.numberNode(node.doubleValue());
				default -> jackson2Nodes.numberNode(node.decimalValue());
			};
			case BOOLEAN -> jackson2Nodes.booleanNode(node.booleanValue());
			case NULL -> jackson2Nodes.nullNode();
			case BINARY -> jackson2Nodes.binaryNode(node.binaryValue());
			case MISSING -> jackson2Nodes.missingNode();
			case POJO -> readJackson2(this.jsonMapper.writeValueAsBytes(node));
		};
	}

	private static byte[] writeJackson2(JsonNode node) {
		try {
			return jackson2.writeValueAsBytes(node);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalArgumentException("Cannot write " + node.getNodeType() + " node as JSON", ex);
		}
	}

	private static JsonNode readJackson2(byte[] json) {
		try {
			return jackson2.readTree(json);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("Cannot read JSON as a tree", ex);
		}
	}

}
