package io.umqtt.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The core is plain Java on Netty: users without Spring depend on it, and the Spring layer sits
 * on top of it, never inside it.
 */
class ArchitectureTests {

	private final JavaClasses core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.umqtt.core");

	@Test
	void coreDoesNotDependOnSpring() {
		ArchRule rule = noClasses().that()
			.resideInAPackage("io.umqtt.core..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework..")
			.because("umqtt-core must be usable without Spring");
		rule.check(this.core);
	}

	@Test
	void protocolPackagesDoNoIo() {
		ArchRule rule = noClasses().that()
			.resideInAnyPackage("io.umqtt.core.packet..", "io.umqtt.core.codec..", "io.umqtt.core.session..",
					"io.umqtt.core.topic..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.netty.channel..", "java.net..", "java.nio.channels..")
			.because("the codec and the session state machine are tested without a socket");
		rule.check(this.core);
	}

}
