package io.eventy.store.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import javax.sql.DataSource;

import io.eventy.record.RecordFactory;
import io.eventy.record.RecordTypeDescriptor;
import io.eventy.record.UpcastingPayloadConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Finds record types whose stored records the application cannot read: records of an
 * older major version than the payload class declares with no chain of upcasters to it,
 * or of a newer one. Each is logged as a WARN; nothing fails. The stored versions of a
 * type come from a few lookups on the index on a record's type and version, not from a
 * scan of its records. Run once the record types are registered (at startup, in the
 * background).
 */
public final class PostgresUpcasterCheck {

	private static final Logger logger = LoggerFactory.getLogger(PostgresUpcasterCheck.class);

	private final JdbcTemplate jdbc;

	private final RecordFactory recordFactory;

	private final String storedVersions;

	/**
	 * Create the check.
	 * @param dataSource the store's database
	 * @param settings the store's schema and table prefix
	 * @param recordFactory the application's record types and upcasters
	 */
	public PostgresUpcasterCheck(DataSource dataSource, PostgresStoreSettings settings, RecordFactory recordFactory) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.recordFactory = Objects.requireNonNull(recordFactory, "recordFactory");
		String records = settings.table("records");
		// one index lookup per distinct stored version
		this.storedVersions = "WITH RECURSIVE stored (version) AS (SELECT min(version) FROM " + records
				+ " WHERE namespace = ? AND name = ? UNION ALL SELECT (SELECT min(version) FROM " + records
				+ " WHERE namespace = ? AND name = ? AND version > stored.version) FROM stored"
				+ " WHERE stored.version IS NOT NULL) SELECT version FROM stored WHERE version IS NOT NULL";
	}

	/**
	 * Check every registered record type and log a WARN for each that has stored records
	 * it cannot read.
	 * @return the warnings logged
	 */
	public List<String> check() {
		if (!(this.recordFactory.converter() instanceof UpcastingPayloadConverter upcasting)) {
			return List.of();
		}
		List<String> warnings = new ArrayList<>();
		for (RecordTypeDescriptor type : this.recordFactory.registry().descriptors()) {
			Integer wanted = UpcastingPayloadConverter.major(type.version());
			if (wanted == null) {
				continue;
			}
			// its own name, then the former names upcasters rename into it
			for (String name : upcasting.namesReadAs(type.qualifiedName())) {
				boolean own = name.equals(type.qualifiedName());
				String namespace = RecordTypeDescriptor.namespaceOf(name);
				String simpleName = RecordTypeDescriptor.nameOf(name);
				List<Integer> stored = new ArrayList<>();
				for (String version : this.jdbc.queryForList(this.storedVersions, String.class, namespace, simpleName,
						namespace, simpleName)) {
					Integer major = UpcastingPayloadConverter.major(version);
					if (major != null && !(own && major.equals(wanted)) && !stored.contains(major)) {
						stored.add(major);
					}
				}
				for (int major : stored) {
					String missing = upcasting.missing(name, major, type.qualifiedName(), wanted);
					if (missing != null) {
						String warning = "Eventy cannot read some stored records as " + type.payloadType().getName()
								+ ": " + missing + ". Handlers dead-letter them until then.";
						logger.warn(warning);
						warnings.add(warning);
					}
				}
			}
		}
		return warnings;
	}

}
