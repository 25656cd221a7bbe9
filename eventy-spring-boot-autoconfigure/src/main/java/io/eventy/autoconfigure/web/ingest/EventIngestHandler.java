package io.eventy.autoconfigure.web.ingest;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventy.record.InvalidRecordException;
import io.eventy.record.PayloadConversionException;
import io.eventy.record.PayloadConverter;
import io.eventy.record.RecordKind;
import io.eventy.record.RecordTypeDescriptor;
import io.eventy.record.RecordTypeRegistry;
import io.eventy.store.EventStore;
import io.eventy.store.StoredRecord;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Logs an event sent over HTTP, as eventlib's {@code POST /event/log} does: by name in
 * the path with a JSON object as data, or by name in the {@code __event__} parameter with
 * the other form or query parameters as data, their string values converted to the
 * payload's property types. The data becomes a payload of the registered record type,
 * validated as any payload is, and is stored in no stream, in the request's Eventy
 * context, so the record carries the request's trace and request ids. The answer comes
 * once the record is stored; handlers run later.
 * <p>
 * Only {@link RecordKind#EVENT EVENT} types whose name is allowed are accepted; any other
 * name, registered or not, is answered with the same 404. Every other failure is an RFC
 * 9457 problem detail that names what is wrong in the client's terms.
 */
final class EventIngestHandler {

	/** The parameter that names the event type in eventlib's form. */
	static final String EVENT_PARAMETER = "__event__";

	private static final Logger logger = LoggerFactory.getLogger(EventIngestHandler.class);

	private static final JsonNodeFactory nodes = JsonNodeFactory.instance;

	private final EventStore store;

	private final RecordTypeRegistry registry;

	private final PayloadConverter converter;

	private final AllowedNames allowedNames;

	private final long maxBodyBytes;

	private final ObjectMapper json;

	EventIngestHandler(EventStore store, RecordTypeRegistry registry, PayloadConverter converter,
			AllowedNames allowedNames, long maxBodyBytes) {
		this.store = Objects.requireNonNull(store, "store");
		this.registry = Objects.requireNonNull(registry, "registry");
		this.converter = Objects.requireNonNull(converter, "converter");
		this.allowedNames = Objects.requireNonNull(allowedNames, "allowedNames");
		this.maxBodyBytes = maxBodyBytes;
		this.json = JsonMapper.builder()
			.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
			.build();
	}

	/**
	 * {@code POST {path}/{name}}: the event type's name in the path.
	 * @param request the request
	 * @return the response
	 * @throws IOException if the body cannot be read, the client gone
	 */
	ServerResponse logNamedInPath(ServerRequest request) throws IOException {
		return log(request, request.pathVariable("name"));
	}

	/**
	 * {@code POST {path}?__event__={name}}: the event type's name in a parameter.
	 * @param request the request
	 * @return the response
	 * @throws IOException if the body cannot be read, the client gone
	 */
	ServerResponse logNamedInParameter(ServerRequest request) throws IOException {
		return log(request, null);
	}

	private ServerResponse log(ServerRequest request, @Nullable String pathName) throws IOException {
		HttpServletRequest servletRequest = request.servletRequest();
		Map<String, List<String>> query;
		try {
			query = decode(servletRequest.getQueryString(), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return invalid(List.of("query: is not valid URL encoding"));
		}
		String name = (pathName != null) ? pathName : first(query.get(EVENT_PARAMETER));
		if (name != null && accepted(name) == null) {
			// the body is not read for a name that is refused anyway
			return notFound();
		}
		MediaType contentType;
		try {
			contentType = request.headers().contentType().orElse(null);
		}
		catch (RuntimeException ex) {
			return unsupportedMediaType();
		}
		boolean json = contentType != null && isJson(contentType);
		if (!json && contentType != null && !MediaType.APPLICATION_FORM_URLENCODED.includes(contentType)) {
			return unsupportedMediaType();
		}
		ObjectNode data;
		try {
			byte[] body = LimitedBody.read(servletRequest, this.maxBodyBytes);
			if (json) {
				query.remove(EVENT_PARAMETER);
				if (!query.isEmpty()) {
					return invalid(query.keySet()
						.stream()
						.map((key) -> key + ": is not allowed beside a JSON body, put it in the body")
						.toList());
				}
				data = readObject(body);
				if (data == null) {
					return invalid(List.of(JsonErrors.BODY + ": must be an object"));
				}
			}
			else {
				Map<String, List<String>> parameters = parameters(servletRequest, query, body, contentType);
				List<String> named = parameters.remove(EVENT_PARAMETER);
				if (name == null) {
					name = first(named);
				}
				data = toObject(parameters);
			}
		}
		catch (BodyTooLargeException ex) {
			return tooLarge();
		}
		catch (JsonProcessingException ex) {
			return invalid(List.of(JsonErrors.unreadable(ex)));
		}
		catch (IllegalArgumentException ex) {
			return invalid(List.of(JsonErrors.BODY + ": is not valid URL encoding"));
		}
		if (name == null || name.isBlank()) {
			return invalid(List.of(EVENT_PARAMETER + ": must name the event type, such as urn:shop:Clicked"));
		}
		RecordTypeDescriptor descriptor = accepted(name);
		if (descriptor == null) {
			return notFound();
		}
		return store(descriptor, data);
	}

	private ServerResponse store(RecordTypeDescriptor descriptor, ObjectNode data) {
		Object payload;
		try {
			payload = this.converter.fromSubmittedData(data, descriptor.payloadType());
		}
		catch (PayloadConversionException ex) {
			return invalid(List.of(JsonErrors.unconvertible(ex)));
		}
		StoredRecord stored;
		try {
			stored = this.store.publish(payload);
		}
		catch (InvalidRecordException ex) {
			return invalid(ex.violations());
		}
		catch (RuntimeException ex) {
			logger.error("Could not store event {} sent over HTTP", descriptor.qualifiedName(), ex);
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
					"The event could not be stored; try again later");
			problem.setTitle("Event not stored");
			return problem(problem);
		}
		String uuid = stored.record().uuid().toString();
		logger.debug("Stored event {} {} sent over HTTP", descriptor.qualifiedName(), uuid);
		return ServerResponse.accepted().contentType(MediaType.APPLICATION_JSON).body(Map.of("uuid", uuid));
	}

	/**
	 * Return the event type of a name when clients may log it.
	 * @return the type, or {@code null} when the name is not allowed, names no registered
	 * type, or a type that is not an event
	 */
	private @Nullable RecordTypeDescriptor accepted(String name) {
		if (!this.allowedNames.allows(name)) {
			return null;
		}
		RecordTypeDescriptor descriptor = this.registry.find(name).orElse(null);
		return (descriptor != null && descriptor.kind() == RecordKind.EVENT) ? descriptor : null;
	}

	private static boolean isJson(MediaType contentType) {
		return MediaType.APPLICATION_JSON.isCompatibleWith(contentType)
				|| "json".equals(contentType.getSubtypeSuffix());
	}

	private @Nullable ObjectNode readObject(byte[] body) throws IOException {
		if (body.length == 0) {
			return null;
		}
		JsonNode tree = this.json.readTree(body);
		return (tree instanceof ObjectNode object) ? object : null;
	}

	/**
	 * Return the form and query parameters of a request. A form body that a filter
	 * already read (a security filter that looked for a CSRF parameter) is taken from the
	 * servlet container's parameters.
	 */
	private static Map<String, List<String>> parameters(HttpServletRequest request, Map<String, List<String>> query,
			byte[] body, @Nullable MediaType contentType) {
		if (contentType == null) {
			return query;
		}
		if (body.length == 0 && request.getContentLengthLong() != 0) {
			Map<String, List<String>> parameters = new LinkedHashMap<>();
			request.getParameterMap().forEach((key, values) -> parameters.put(key, List.of(values)));
			return parameters;
		}
		Charset charset = (contentType.getCharset() != null) ? contentType.getCharset() : StandardCharsets.UTF_8;
		Map<String, List<String>> parameters = query;
		decode(new String(body, charset), charset)
			.forEach((key, values) -> parameters.computeIfAbsent(key, (k) -> new ArrayList<>()).addAll(values));
		return parameters;
	}

	/**
	 * Decode {@code application/x-www-form-urlencoded} text.
	 * @throws IllegalArgumentException if the text is not valid URL encoding
	 */
	private static Map<String, List<String>> decode(@Nullable String text, Charset charset) {
		Map<String, List<String>> parameters = new LinkedHashMap<>();
		if (text == null || text.isEmpty()) {
			return parameters;
		}
		for (String pair : text.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String key = URLDecoder.decode((equals >= 0) ? pair.substring(0, equals) : pair, charset);
			String value = (equals >= 0) ? URLDecoder.decode(pair.substring(equals + 1), charset) : "";
			parameters.computeIfAbsent(key, (k) -> new ArrayList<>()).add(value);
		}
		return parameters;
	}

	/**
	 * Turn parameters into data: a string for a parameter given once, an array of strings
	 * for one given several times. The converter reads strings as the payload's numbers,
	 * booleans, enums and dates.
	 */
	private static ObjectNode toObject(Map<String, List<String>> parameters) {
		ObjectNode data = nodes.objectNode();
		parameters.forEach((key, values) -> {
			if (values.size() == 1) {
				data.put(key, values.get(0));
			}
			else {
				ArrayNode array = data.putArray(key);
				values.forEach(array::add);
			}
		});
		return data;
	}

	private static @Nullable String first(@Nullable List<String> values) {
		return (values != null && !values.isEmpty()) ? values.get(0) : null;
	}

	private ServerResponse invalid(List<String> violations) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, String.join("; ", violations));
		problem.setTitle("Invalid event");
		problem.setProperty("violations", violations);
		logger.debug("Refused an event sent over HTTP: {}", violations);
		return problem(problem);
	}

	private static ServerResponse notFound() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				"No event of this name can be logged here");
		problem.setTitle("Unknown event");
		return problem(problem);
	}

	private ServerResponse tooLarge() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
				"The request body must not be larger than " + this.maxBodyBytes + " bytes");
		problem.setTitle("Request body too large");
		problem.setProperty("maxBodySize", this.maxBodyBytes);
		return problem(problem);
	}

	private static ServerResponse unsupportedMediaType() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
				"Send the event as application/json or as application/x-www-form-urlencoded parameters");
		problem.setTitle("Unsupported media type");
		return problem(problem);
	}

	private static ServerResponse problem(ProblemDetail problem) {
		return ServerResponse.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
