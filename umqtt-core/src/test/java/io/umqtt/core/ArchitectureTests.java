package io.umqtt.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The core is plain Java on Netty: users without Spring depend on it, and the Spring
 * layer sits on top of it, never inside it. Inside, one direction:
 * {@code MqttClient → delivery →
 * connection → netty, session, codec, store → topic, packet}, without cycles. The public
 * API types of {@code io.umqtt.core} itself (callbacks, values, exceptions) may be used
 * by every package; the facade {@link MqttClient} by none.
 */
class ArchitectureTests {

	private final JavaClasses core = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
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

	@Test
	void corePackagesAreFreeOfCycles() {
		slices().matching("io.umqtt.core.(*)..")
			.should()
			.beFreeOfCycles()
			.because("each package of the core builds on the ones below it only")
			.check(this.core);
	}

	@Test
	void nothingInsideDependsOnTheFacade() {
		noClasses().that()
			.resideInAPackage("io.umqtt.core.*..")
			.should()
			.dependOnClassesThat()
			.belongToAnyOf(MqttClient.class, MqttClient.Builder.class)
			.because("MqttClient is the top: it delegates to the packages, they never call back into it")
			.check(this.core);
	}

	@Test
	void deliveryBuildsOnTheConnection() {
		noClasses().that()
			.resideInAPackage("io.umqtt.core.connection..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.umqtt.core.delivery..")
			.because("the event-loop side never runs application code itself")
			.check(this.core);
	}

	@Test
	void transportSessionAndCodecKnowNothingOfTheConnection() {
		noClasses().that()
			.resideInAnyPackage("io.umqtt.core.netty..", "io.umqtt.core.session..", "io.umqtt.core.codec..",
					"io.umqtt.core.store..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.umqtt.core.connection..", "io.umqtt.core.delivery..")
			.because("the connection composes them, not the other way round")
			.check(this.core);
	}

	@Test
	void topicsAndPacketsAreTheBottom() {
		noClasses().that()
			.resideInAnyPackage("io.umqtt.core.topic..", "io.umqtt.core.packet..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.umqtt.core.netty..", "io.umqtt.core.session..", "io.umqtt.core.codec..",
					"io.umqtt.core.store..", "io.umqtt.core.connection..", "io.umqtt.core.delivery..")
			.because("topic names and packet records are plain values that everything else uses")
			.check(this.core);
	}

}
