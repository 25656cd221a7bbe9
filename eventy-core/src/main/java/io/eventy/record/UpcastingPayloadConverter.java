package io.eventy.record;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * A {@link PayloadConverter} that reads stored records of an older major version through
 * {@link RecordUpcaster}s: when a record's version has a lower major than the payload
 * class declares, it upcasts a copy of the data step by step, then converts it. A record
 * with no upcaster for a step, or of a newer major than the class, throws
 * {@link PayloadConversionException} naming what is missing; it is never read as a
 * payload it does not fit. Everything else goes to the converter it wraps.
 */
public final class UpcastingPayloadConverter implements PayloadConverter {

	private final PayloadConverter converter;

	private final RecordTypeRegistry registry;

	private final Map<String, RecordUpcaster> upcasters = new HashMap<>();

	/**
	 * Create the converter.
	 * @param converter converts payloads
	 * @param registry the record types, which give each payload class's version
	 * @param upcasters the upcasters
	 * @throws IllegalArgumentException if an upcaster does not move to a greater major
	 * version, or two read the same major version of one record type
	 */
	public UpcastingPayloadConverter(PayloadConverter converter, RecordTypeRegistry registry,
			List<? extends RecordUpcaster> upcasters) {
		this.converter = Objects.requireNonNull(converter, "converter");
		this.registry = Objects.requireNonNull(registry, "registry");
		for (RecordUpcaster upcaster : upcasters) {
			Integer to = major(upcaster.toVersion());
			if (!RecordRules.isSemVer(upcaster.toVersion()) || to == null || to <= upcaster.fromMajor()) {
				throw new IllegalArgumentException("The " + describe(upcaster) + " must move to a SemVer version of a "
						+ "major above " + upcaster.fromMajor() + ", not '" + upcaster.toVersion() + "'");
			}
			RecordUpcaster other = this.upcasters.putIfAbsent(key(upcaster.qualifiedName(), upcaster.fromMajor()),
					upcaster);
			if (other != null) {
				throw new IllegalArgumentException("Two upcasters read " + upcaster.qualifiedName() + " "
						+ upcaster.fromMajor() + ".x: " + describe(other) + " and " + describe(upcaster));
			}
		}
	}

	/**
	 * Return the converter this one wraps.
	 * @return the converter
	 */
	public PayloadConverter converter() {
		return this.converter;
	}

	@Override
	public ObjectNode toData(Object payload) {
		return this.converter.toData(payload);
	}

	@Override
	public <T> T fromData(JsonNode data, Class<T> type) {
		return this.converter.fromData(data, type);
	}

	@Override
	public <T> T fromSubmittedData(JsonNode data, Class<T> type) {
		return this.converter.fromSubmittedData(data, type);
	}

	@Override
	public <T> T fromRecord(EventyRecord record, Class<T> type) {
		return this.converter.fromData(upcast(record, type), type);
	}

	/**
	 * Return a record's data at the major version of a payload class.
	 * @param record the record
	 * @param type the payload class
	 * @return the data as stored when the majors are the same, or the class is no record
	 * type of that name, else an upcast copy
	 * @throws PayloadConversionException if an upcaster is missing or the record is of a
	 * newer major than the class
	 */
	public JsonNode upcast(EventyRecord record, Class<?> type) {
		if (!type.isAnnotationPresent(RecordType.class)) {
			// a Map, a JsonNode, a class of the reader's own: no version to compare
			return record.data();
		}
		RecordTypeDescriptor declared = RecordTypeDescriptor.of(type, this.registry.defaultNamespace());
		if (!declared.qualifiedName().equals(record.qualifiedName())) {
			// read as another record type on purpose: its version says nothing of this
			// one
			return record.data();
		}
		Integer stored = major(record.version());
		Integer wanted = major(declared.version());
		if (stored == null || wanted == null || stored.equals(wanted)) {
			return record.data();
		}
		String qualifiedName = record.qualifiedName();
		if (stored > wanted) {
			throw new PayloadConversionException("The " + qualifiedName + " record " + record.uuid() + " is of version "
					+ record.version() + ", newer than " + type.getName() + " reads (" + wanted
					+ ".x): deploy the newer payload class; Eventy does not downcast");
		}
		JsonNode data = record.data();
		if (!(data instanceof ObjectNode object)) {
			return data;
		}
		ObjectNode current = object.deepCopy();
		int major = stored;
		String version = record.version();
		while (major < wanted) {
			RecordUpcaster upcaster = this.upcasters.get(key(qualifiedName, major));
			if (upcaster == null) {
				throw new PayloadConversionException("No upcaster reads " + qualifiedName + " " + major + ".x: the "
						+ qualifiedName + " record " + record.uuid() + " is of version " + version + " and "
						+ type.getName() + " reads " + wanted + ".x. Declare a RecordUpcaster for " + qualifiedName
						+ " from major " + major + ".");
			}
			ObjectNode upcast = upcaster.upcast(current);
			if (upcast == null) {
				throw new PayloadConversionException("The " + describe(upcaster) + " returned no data for the "
						+ qualifiedName + " record " + record.uuid());
			}
			current = upcast;
			version = upcaster.toVersion();
			major = major(version);
		}
		if (major != wanted) {
			throw new PayloadConversionException("The upcasters of " + qualifiedName + " went past " + wanted
					+ ".x, which " + type.getName() + " reads, to " + version);
		}
		return current;
	}

	/**
	 * Return what keeps records of a type stored at one major version from being read as
	 * another.
	 * @param qualifiedName the record type, {@code namespace:name}
	 * @param stored the major version of the stored records
	 * @param wanted the major version the payload class declares
	 * @return what is missing, or {@code null} when such records are read
	 */
	public @Nullable String missing(String qualifiedName, int stored, int wanted) {
		if (stored > wanted) {
			return "records of " + qualifiedName + " " + stored + ".x are stored, newer than the payload class "
					+ "reads (" + wanted + ".x): deploy the newer payload class";
		}
		int major = stored;
		while (major < wanted) {
			RecordUpcaster upcaster = this.upcasters.get(key(qualifiedName, major));
			if (upcaster == null) {
				return "records of " + qualifiedName + " " + stored + ".x are stored and the payload class reads "
						+ wanted + ".x, but no upcaster reads " + qualifiedName + " " + major
						+ ".x: declare a RecordUpcaster for " + qualifiedName + " from major " + major;
			}
			Integer next = major(upcaster.toVersion());
			major = (next != null) ? next : wanted;
		}
		return null;
	}

	private static String key(String qualifiedName, int major) {
		return qualifiedName + "@" + major;
	}

	private static String describe(RecordUpcaster upcaster) {
		String text = upcaster.toString();
		return (text.startsWith("upcaster")) ? text
				: "upcaster " + upcaster.getClass().getName() + " of " + upcaster.qualifiedName();
	}

	/**
	 * Return the major version of a SemVer version.
	 * @param version the version, such as {@code 2.1.0}
	 * @return its major version, or {@code null} when it has none
	 */
	public static @Nullable Integer major(String version) {
		int dot = version.indexOf('.');
		try {
			return Integer.valueOf((dot < 0) ? version : version.substring(0, dot));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
