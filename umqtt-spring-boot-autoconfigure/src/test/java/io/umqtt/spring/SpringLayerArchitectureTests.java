package io.umqtt.spring;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The messaging layer ({@code io.umqtt.spring} and its listener, annotation and event
 * packages) is plain Spring, usable without Spring Boot; only
 * {@code io.umqtt.spring.boot} knows Boot.
 */
class SpringLayerArchitectureTests {

	private final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.umqtt.spring");

	@Test
	void messagingLayerDoesNotDependOnSpringBoot() {
		noClasses().that()
			.resideInAnyPackage("io.umqtt.spring", "io.umqtt.spring.listener..", "io.umqtt.spring.annotation..",
					"io.umqtt.spring.event..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework.boot..")
			.because("@MqttSubscribe and MqttTemplate must work in a plain Spring application")
			.check(this.classes);
	}

	@Test
	void messagingLayerDoesNotDependOnTheBootLayer() {
		noClasses().that()
			.resideInAnyPackage("io.umqtt.spring", "io.umqtt.spring.listener..", "io.umqtt.spring.annotation..",
					"io.umqtt.spring.event..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.umqtt.spring.boot..")
			.check(this.classes);
	}

}
