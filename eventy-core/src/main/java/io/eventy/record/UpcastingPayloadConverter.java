package io.eventy.record;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * A {@link PayloadConverter} that reads stored records of an older major version through
 * {@link RecordUpcaster}s: when a record's version has a lower major than the payload
 * class declares, it upcasts a copy of the data step by step, then converts it. A record
 * with no upcaster for a step, or of a newer major than the class, throws
 * {@link PayloadConversionException} naming what is missing; it is never read as a
 * payload it does not fit. Upcasters that {@link RecordUpcaster#toName() rename} a record
 * type make the records of the old name readable as the payload class of the new one:
 * {@link #namesReadAs(String)} tells which names a payload class reads. Everything else
 * goes to the converter it wraps.
 */
public final class UpcastingPayloadConverter implements PayloadConverter {

	private final PayloadConverter converter;

	private final RecordTypeRegistry registry;

	private final Map<String, RecordUpcaster> upcasters = new HashMap<>();

	/** Of each record type, the older names whose records are read as it. */
	private final Map<String, List<String>> formerNames = new HashMap<>();

	/** Of each payload class, the record type it declares: looked up once per class. */
	private final ClassValue<Declared> declared = new ClassValue<>() {

		@Override
		protected Declared computeValue(Class<?> type) {
			if (!type.isAnnotationPresent(RecordType.class)) {
				return Declared.NONE;
			}
			RecordTypeDescriptor descriptor = RecordTypeDescriptor.of(type,
					UpcastingPayloadConverter.this.registry.defaultNamespace());
			return new Declared(descriptor.namespace(), descriptor.name(), descriptor.qualifiedName(),
					major(descriptor.version()));
		}

	};

	/**
	 * Create the converter.
	 * @param converter converts payloads
	 * @param registry the record types, which give each payload class's version
	 * @param upcasters the upcasters
	 * @throws IllegalArgumentException if an upcaster does not move to a greater major
	 * version of the same record type, two read the same major version of one record
	 * type, or renaming upcasters lead back to a name they started from
	 */
	public UpcastingPayloadConverter(PayloadConverter converter, RecordTypeRegistry registry,
			List<? extends RecordUpcaster> upcasters) {
		this.converter = Objects.requireNonNull(converter, "converter");
		this.registry = Objects.requireNonNull(registry, "registry");
		Map<String, Set<String>> renames = new HashMap<>();
		for (RecordUpcaster upcaster : upcasters) {
			Integer to = major(upcaster.toVersion());
			boolean renaming = !upcaster.toName().equals(upcaster.qualifiedName());
			if (!RecordRules.isSemVer(upcaster.toVersion()) || to == null
					|| (!renaming && to <= upcaster.fromMajor())) {
				throw new IllegalArgumentException("The " + describe(upcaster) + " must move to a SemVer version of a "
						+ "major above " + upcaster.fromMajor() + ", not '" + upcaster.toVersion() + "'");
			}
			RecordUpcaster other = this.upcasters.putIfAbsent(key(upcaster.qualifiedName(), upcaster.fromMajor()),
					upcaster);
			if (other != null) {
				throw new IllegalArgumentException("Two upcasters read " + upcaster.qualifiedName() + " "
						+ upcaster.fromMajor() + ".x: " + describe(other) + " and " + describe(upcaster));
			}
			if (renaming && upcaster.toName().lastIndexOf(':') <= 0) {
				throw new IllegalArgumentException("The " + describe(upcaster) + " must rename to a qualified name, "
						+ "namespace:name, not '" + upcaster.toName() + "'");
			}
			if (renaming) {
				renames.computeIfAbsent(upcaster.qualifiedName(), (name) -> new TreeSet<>()).add(upcaster.toName());
			}
		}
		for (String name : renames.keySet()) {
			List<String> reached = new ArrayList<>();
			collect(name, renames, reached, new ArrayDeque<>(List.of(name)));
			for (String target : reached) {
				this.formerNames.computeIfAbsent(target, (key) -> new ArrayList<>()).add(name);
			}
		}
		this.formerNames.values().forEach(Collections::sort);
	}

	private static void collect(String name, Map<String, Set<String>> renames, List<String> reached,
			Deque<String> path) {
		for (String next : renames.getOrDefault(name, Set.of())) {
			if (path.contains(next)) {
				throw new IllegalArgumentException("Upcasters rename " + String.join(" to ", path) + " to " + next
						+ ": a record type cannot be renamed back to a name it had");
			}
			if (!reached.contains(next)) {
				reached.add(next);
			}
			path.addLast(next);
			collect(next, renames, reached, path);
			path.removeLast();
		}
	}

	/**
	 * Return the names whose records are read as a record type: its own, then the older
	 * names that upcasters rename into it.
	 * @param qualifiedName the record type, {@code namespace:name}
	 * @return its name first, then its former names in order
	 */
	public List<String> namesReadAs(String qualifiedName) {
		List<String> former = this.formerNames.get(qualifiedName);
		if (former == null) {
			return List.of(qualifiedName);
		}
		List<String> names = new ArrayList<>(former.size() + 1);
		names.add(qualifiedName);
		names.addAll(former);
		return List.copyOf(names);
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
	 * @return the data as stored when the record is of the class's record type and major
	 * version, or the class is no record type or one the record's is not renamed into;
	 * else an upcast copy
	 * @throws PayloadConversionException if an upcaster is missing or the record is of a
	 * newer major than the class
	 */
	public JsonNode upcast(EventyRecord record, Class<?> type) {
		Declared declared = this.declared.get(type);
		if (declared == Declared.NONE) {
			// a Map, a JsonNode, a class of the reader's own: no version to compare
			return record.data();
		}
		String target = declared.qualifiedName();
		boolean sameName = declared.namespace().equals(record.namespace()) && declared.name().equals(record.name());
		String qualifiedName = sameName ? target : record.qualifiedName();
		if (!sameName && !namesReadAs(target).contains(qualifiedName)) {
			// read as another record type on purpose: its version says nothing of this
			// one
			return record.data();
		}
		Integer stored = major(record.version());
		Integer wanted = declared.major();
		if (stored == null || wanted == null || (sameName && stored.equals(wanted))) {
			return record.data();
		}
		JsonNode data = record.data();
		if (!(data instanceof ObjectNode object)) {
			return data;
		}
		ObjectNode current = object.deepCopy();
		String name = qualifiedName;
		int major = stored;
		String version = record.version();
		while (!name.equals(target) || major != wanted) {
			if (name.equals(target) && major > wanted) {
				String upcast = (version.equals(record.version())) ? ""
						: ", which upcasters bring to " + name + " " + version;
				throw new PayloadConversionException("The " + qualifiedName + " record " + record.uuid()
						+ " is of version " + record.version() + upcast + ", newer than " + type.getName() + " reads ("
						+ wanted + ".x): deploy the newer payload class; Eventy does not downcast");
			}
			RecordUpcaster upcaster = this.upcasters.get(key(name, major));
			if (upcaster == null) {
				String upcast = (version.equals(record.version())) ? " and "
						: " (" + (name.equals(qualifiedName) ? "" : name + " ") + version + " after upcasting) and ";
				throw new PayloadConversionException("No upcaster reads " + name + " " + major + ".x: the "
						+ qualifiedName + " record " + record.uuid() + " is of version " + record.version() + upcast
						+ type.getName() + " reads " + (target.equals(qualifiedName) ? "" : target + " ") + wanted
						+ ".x. Declare a RecordUpcaster for " + name + " from major " + major + ".");
			}
			ObjectNode upcast = upcaster.upcast(current);
			if (upcast == null) {
				throw new PayloadConversionException("The " + describe(upcaster) + " returned no data for the "
						+ qualifiedName + " record " + record.uuid());
			}
			current = upcast;
			name = upcaster.toName();
			version = upcaster.toVersion();
			major = major(version);
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
		return missing(qualifiedName, stored, qualifiedName, wanted);
	}

	/**
	 * Return what keeps records stored under one name and major version from being read
	 * as a record type, of its own name or one they are renamed into.
	 * @param storedName the stored records' type, {@code namespace:name}
	 * @param stored the major version of the stored records
	 * @param qualifiedName the record type of the payload class
	 * @param wanted the major version the payload class declares
	 * @return what is missing, or {@code null} when such records are read
	 */
	public @Nullable String missing(String storedName, int stored, String qualifiedName, int wanted) {
		String name = storedName;
		int major = stored;
		Set<String> seen = new HashSet<>();
		String reads = (storedName.equals(qualifiedName) ? "" : qualifiedName + " ") + wanted + ".x";
		while (!name.equals(qualifiedName) || major != wanted) {
			if (name.equals(qualifiedName) && major > wanted) {
				return "records of " + storedName + " " + stored + ".x are stored, newer than the payload class "
						+ "reads (" + reads + "): deploy the newer payload class";
			}
			RecordUpcaster upcaster = this.upcasters.get(key(name, major));
			if (upcaster == null || !seen.add(key(name, major))) {
				return "records of " + storedName + " " + stored + ".x are stored and the payload class reads " + reads
						+ ", but no upcaster reads " + name + " " + major + ".x: declare a RecordUpcaster for " + name
						+ " from major " + major;
			}
			Integer next = major(upcaster.toVersion());
			name = upcaster.toName();
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
		if (dot == 1 && version.charAt(0) >= '0' && version.charAt(0) <= '9') {
			// the common case, once per record read
			return version.charAt(0) - '0';
		}
		try {
			return Integer.parseInt(version, 0, (dot < 0) ? version.length() : dot, 10);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * The record type a payload class declares.
	 *
	 * @param namespace its namespace
	 * @param name its name
	 * @param qualifiedName {@code namespace:name}
	 * @param major the major of its version, {@code null} when it is too large for an int
	 */
	private record Declared(String namespace, String name, String qualifiedName, @Nullable Integer major) {

		/** A class that declares no record type. */
		static final Declared NONE = new Declared("", "", "", null);

	}

}
