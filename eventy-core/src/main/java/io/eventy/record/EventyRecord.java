package io.eventy.record;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventy.context.EventyIds;
import org.jspecify.annotations.Nullable;

/**
 * The immutable envelope of every Eventy record: an event, a request or a response. Its
 * accessors are named after the fields of the Eventy 3.x JSON wire format.
 * <p>
 * The envelope is checked when it is built: {@code namespace}, {@code source} and, for a
 * response, {@code destination} are URNs; {@code version} and {@code protocolVersion} are
 * SemVer; {@code date} is cut to milliseconds; response fields are present exactly when
 * the kind is {@link RecordKind#RESPONSE}. A violation throws
 * {@link InvalidRecordException}.
 * <p>
 * {@link #data()} is a Jackson tree; treat it as read-only.
 *
 * @param kind the kind of record, written as {@code type}
 * @param namespace the URN namespace of the record type
 * @param name the record type's name within its namespace
 * @param protocolVersion the Eventy protocol version
 * @param version the SemVer version of the record's data
 * @param source the URN of the service that wrote the record
 * @param uuid the record's unique id
 * @param correlationId the trace id that ties together everything one cause produced
 * @param partitionKey the key that orders records (a stream on PostgreSQL, a Kafka key)
 * @param date when the record was created, with millisecond precision
 * @param context the propagated context, copied to records emitted while handling this
 * one
 * @param data the payload, a JSON object
 * @param destination for a response, the URN of the service that sent the request
 * @param requestUuid for a response, the uuid of the request it answers
 * @param ok for a response, whether the request succeeded
 * @param errorCode for a failed response, an error code
 * @param errorMessage for a failed response, an error message
 */
public record EventyRecord(RecordKind kind, String namespace, String name, String protocolVersion, String version,
		String source, UUID uuid, String correlationId, @Nullable String partitionKey, Instant date,
		Map<String, Object> context, ObjectNode data, @Nullable String destination, @Nullable UUID requestUuid,
		@Nullable Boolean ok, @Nullable Integer errorCode, @Nullable String errorMessage) {

	/** The version of the Eventy protocol this library writes. */
	public static final String PROTOCOL_VERSION = "1.0.0";

	public EventyRecord {
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(uuid, "uuid");
		Objects.requireNonNull(date, "date");
		date = date.truncatedTo(ChronoUnit.MILLIS);
		context = (context != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(context)) : Map.of();
		Objects.requireNonNull(data, "data");
		RecordRules.checkEnvelope(kind, namespace, name, protocolVersion, version, source, correlationId, destination,
				requestUuid, ok, errorCode, errorMessage, context);
	}

	/**
	 * Return the qualified name of the record type, {@code namespace:name}.
	 * @return the qualified name
	 */
	public String qualifiedName() {
		return this.namespace + ":" + this.name;
	}

	/**
	 * Return a builder for a new record; uuid, date and correlation id are generated
	 * unless set.
	 * @param kind the kind of record
	 * @return a new builder
	 */
	public static Builder builder(RecordKind kind) {
		return new Builder(kind);
	}

	/**
	 * Return a builder initialized with every field of this record.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		Builder builder = new Builder(this.kind);
		builder.namespace = this.namespace;
		builder.name = this.name;
		builder.protocolVersion = this.protocolVersion;
		builder.version = this.version;
		builder.source = this.source;
		builder.uuid = this.uuid;
		builder.correlationId = this.correlationId;
		builder.partitionKey = this.partitionKey;
		builder.date = this.date;
		builder.context = this.context;
		builder.data = this.data;
		builder.destination = this.destination;
		builder.requestUuid = this.requestUuid;
		builder.ok = this.ok;
		builder.errorCode = this.errorCode;
		builder.errorMessage = this.errorMessage;
		return builder;
	}

	/**
	 * Builds {@link EventyRecord} instances.
	 */
	public static final class Builder {

		private final RecordKind kind;

		private @Nullable String namespace;

		private @Nullable String name;

		private String protocolVersion = PROTOCOL_VERSION;

		private String version = "1.0.0";

		private @Nullable String source;

		private @Nullable UUID uuid;

		private @Nullable String correlationId;

		private @Nullable String partitionKey;

		private @Nullable Instant date;

		private Map<String, Object> context = Map.of();

		private @Nullable ObjectNode data;

		private @Nullable String destination;

		private @Nullable UUID requestUuid;

		private @Nullable Boolean ok;

		private @Nullable Integer errorCode;

		private @Nullable String errorMessage;

		private Builder(RecordKind kind) {
			this.kind = Objects.requireNonNull(kind, "kind");
			if (kind == RecordKind.RESPONSE) {
				this.ok = Boolean.TRUE;
			}
		}

		/**
		 * Set the namespace.
		 * @param namespace a URN
		 * @return this builder
		 */
		public Builder namespace(String namespace) {
			this.namespace = namespace;
			return this;
		}

		/**
		 * Set the name.
		 * @param name the record type's name
		 * @return this builder
		 */
		public Builder name(String name) {
			this.name = name;
			return this;
		}

		/**
		 * Set the protocol version.
		 * @param protocolVersion a SemVer version
		 * @return this builder
		 */
		public Builder protocolVersion(String protocolVersion) {
			this.protocolVersion = protocolVersion;
			return this;
		}

		/**
		 * Set the data version.
		 * @param version a SemVer version
		 * @return this builder
		 */
		public Builder version(String version) {
			this.version = version;
			return this;
		}

		/**
		 * Set the source.
		 * @param source the URN of the writing service
		 * @return this builder
		 */
		public Builder source(String source) {
			this.source = source;
			return this;
		}

		/**
		 * Set the uuid.
		 * @param uuid the record id
		 * @return this builder
		 */
		public Builder uuid(UUID uuid) {
			this.uuid = uuid;
			return this;
		}

		/**
		 * Set the correlation (trace) id.
		 * @param correlationId the correlation id
		 * @return this builder
		 */
		public Builder correlationId(@Nullable String correlationId) {
			this.correlationId = correlationId;
			return this;
		}

		/**
		 * Set the partition key.
		 * @param partitionKey the partition key, or {@code null}
		 * @return this builder
		 */
		public Builder partitionKey(@Nullable String partitionKey) {
			this.partitionKey = partitionKey;
			return this;
		}

		/**
		 * Set the date.
		 * @param date the creation date
		 * @return this builder
		 */
		public Builder date(Instant date) {
			this.date = date;
			return this;
		}

		/**
		 * Set the propagated context.
		 * @param context the context map
		 * @return this builder
		 */
		public Builder context(Map<String, Object> context) {
			this.context = context;
			return this;
		}

		/**
		 * Set the data.
		 * @param data a JSON object
		 * @return this builder
		 */
		public Builder data(JsonNode data) {
			if (!(data instanceof ObjectNode object)) {
				throw new InvalidRecordException(displayName(),
						List.of("data: must be a JSON object, was " + data.getNodeType()));
			}
			this.data = object;
			return this;
		}

		/**
		 * Set the destination of a response.
		 * @param destination the URN of the requesting service
		 * @return this builder
		 */
		public Builder destination(@Nullable String destination) {
			this.destination = destination;
			return this;
		}

		/**
		 * Set the uuid of the request a response answers.
		 * @param requestUuid the request's uuid
		 * @return this builder
		 */
		public Builder requestUuid(@Nullable UUID requestUuid) {
			this.requestUuid = requestUuid;
			return this;
		}

		/**
		 * Set whether a response reports success.
		 * @param ok whether the request succeeded
		 * @return this builder
		 */
		public Builder ok(@Nullable Boolean ok) {
			this.ok = ok;
			return this;
		}

		/**
		 * Set the error code of a failed response.
		 * @param errorCode the error code
		 * @return this builder
		 */
		public Builder errorCode(@Nullable Integer errorCode) {
			this.errorCode = errorCode;
			return this;
		}

		/**
		 * Set the error message of a failed response.
		 * @param errorMessage the error message
		 * @return this builder
		 */
		public Builder errorMessage(@Nullable String errorMessage) {
			this.errorMessage = errorMessage;
			return this;
		}

		/**
		 * Build a record to write. Besides the envelope rules every record follows, a
		 * record built here follows those Python eventy 3.x checks on what it reads:
		 * versions are SemVer 2.0.0 exactly (no {@code 1.0.0-01}), a destination has no
		 * {@code .}, and the date lies in the years 1 to 9999.
		 * @return a new record
		 * @throws InvalidRecordException if the envelope breaks a protocol rule
		 */
		public EventyRecord build() {
			UUID id = (this.uuid != null) ? this.uuid : UUID.randomUUID();
			EventyRecord record = new EventyRecord(this.kind, requireSet(this.namespace, "namespace"),
					requireSet(this.name, "name"), this.protocolVersion, this.version,
					requireSet(this.source, "source"), id,
					(this.correlationId != null) ? this.correlationId : EventyIds.newTraceId(), this.partitionKey,
					(this.date != null) ? this.date : Instant.now(), this.context,
					(this.data != null) ? this.data : JsonNodeFactory.instance.objectNode(), this.destination,
					this.requestUuid, this.ok, this.errorCode, this.errorMessage);
			RecordRules.checkWritable(record);
			return record;
		}

		private String requireSet(@Nullable String value, String field) {
			if (value == null) {
				throw new InvalidRecordException(displayName(), List.of(field + ": must be set"));
			}
			return value;
		}

		private String displayName() {
			return (this.namespace != null && this.name != null) ? this.namespace + ":" + this.name
					: (this.name != null) ? this.name : "(unnamed)";
		}

	}

}
