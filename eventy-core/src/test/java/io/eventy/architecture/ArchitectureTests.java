package io.eventy.architecture;

import java.util.Set;
import java.util.TreeSet;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

class ArchitectureTests {

	private static JavaClasses core;

	@BeforeAll
	static void importCore() {
		core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("io.eventy");
	}

	@Test
	void theStoreApiNeverImportsAStoreImplementation() {
		noClasses().that()
			.resideInAPackage("io.eventy.store")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.eventy.store.postgres..", "io.eventy.store.kafka..")
			.check(core);
	}

	@Test
	void apiPackagesNeverImportStoreImplementations() {
		noClasses().that()
			.resideInAnyPackage("io.eventy.record..", "io.eventy.serializer..", "io.eventy.context..",
					"io.eventy.handler..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.eventy.store.postgres..", "io.eventy.store.kafka..")
			.check(core);
	}

	@Test
	void thePostgresAndKafkaStoresNeverImportEachOther() {
		noClasses().that()
			.resideInAPackage("io.eventy.store.postgres..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.eventy.store.kafka..")
			.check(core);
		noClasses().that()
			.resideInAPackage("io.eventy.store.kafka..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.eventy.store.postgres..")
			.allowEmptyShould(true) // until the Kafka store lands
			.check(core);
	}

	@Test
	void corePackagesHaveNoCycles() {
		slices().matching("io.eventy.(**)").should().beFreeOfCycles().check(core);
	}

	@Test
	void everyPackageIsNullMarked() {
		Set<String> unmarked = new TreeSet<>();
		for (JavaClass javaClass : core) {
			Package javaPackage = javaClass.reflect().getPackage();
			if (!javaPackage.isAnnotationPresent(NullMarked.class)) {
				unmarked.add(javaPackage.getName());
			}
		}
		assertThat(unmarked).as("packages without a @NullMarked package-info").isEmpty();
	}

	@Test
	void coreHasNoSpringBootDependency() {
		noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework.boot..").check(core);
	}

}
