package io.umqtt.spring;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * No two packages of the Spring module depend on each other, directly or round about:
 * each package ({@code io.umqtt.spring}, {@code .listener}, {@code .observation},
 * {@code .boot.autoconfigure}, {@code .boot.autoconfigure.embedded}, ...) is a slice of
 * its own.
 */
class SpringPackageCycleTests {

	private final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.umqtt.spring");

	@Test
	void noCycleBetweenThePackagesOfTheSpringModule() {
		slices().matching("io.umqtt.(**)").should().beFreeOfCycles().check(this.classes);
	}

}
