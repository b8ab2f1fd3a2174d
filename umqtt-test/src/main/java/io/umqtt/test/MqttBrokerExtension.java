package io.umqtt.test;

import java.util.Optional;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * Starts the broker a {@link MqttBrokerTest} class asks for, hands it to parameters of
 * type {@link MqttBroker}, restarts it after a test that left it stopped, and closes it
 * when the class is done (JUnit closes what the class-level store holds, also after
 * failures).
 * <p>
 * A kind that cannot run on this machine (Mosquitto not installed, no Docker engine)
 * disables the class's tests with the reason, so they show as skipped, saying why, rather
 * than failed; in a CI run ({@code CI=true}) a broker the build installs fails the class
 * instead ({@link MqttBrokers#skipReason(BrokerKind)}).
 */
public final class MqttBrokerExtension
		implements ExecutionCondition, BeforeAllCallback, AfterEachCallback, ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(MqttBrokerExtension.class);

	/**
	 * Skips, with the reason, every test of a class whose broker cannot run on this
	 * machine.
	 */
	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		if (context.getTestClass().isEmpty()) {
			return ConditionEvaluationResult.enabled("no test class");
		}
		BrokerKind kind = settings(context).kind();
		if (MqttBrokers.missingBrokerFails() && MqttBrokers.resolve(kind).requiredInCi()) {
			// let beforeAll fail the class instead of skipping it
			return ConditionEvaluationResult.enabled("CI run: a missing broker fails");
		}
		Optional<String> unavailable = MqttBrokers.unavailable(kind);
		return unavailable.map((reason) -> ConditionEvaluationResult.disabled("Skipped: " + reason))
			.orElseGet(() -> ConditionEvaluationResult.enabled("broker available"));
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		MqttBrokerTest settings = settings(context);
		Optional<String> unavailable = MqttBrokers.skipReason(settings.kind());
		if (unavailable.isPresent()) {
			throw new TestAbortedException("Skipped: " + unavailable.get());
		}
	}

	@Override
	public void afterEach(ExtensionContext context) {
		Holder holder = context.getStore(NAMESPACE).get(Holder.class, Holder.class);
		if (holder != null && !holder.broker.isRunning()) {
			holder.broker.start();
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == MqttBroker.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		ExtensionContext classContext = classContext(extensionContext);
		MqttBrokerTest settings = settings(classContext);
		Holder holder = classContext.getStore(NAMESPACE)
			.computeIfAbsent(Holder.class,
					(key) -> new Holder(MqttBrokers.start(settings.kind(), BrokerOptions.from(settings))),
					Holder.class);
		if (holder == null) {
			throw new ParameterResolutionException("No broker could be started");
		}
		if (!holder.broker.isRunning()) {
			holder.broker.start();
		}
		return holder.broker;
	}

	private static ExtensionContext classContext(ExtensionContext context) {
		ExtensionContext current = context;
		while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
			current = current.getParent().get();
		}
		return current;
	}

	private static MqttBrokerTest settings(ExtensionContext context) {
		Class<?> testClass = context.getRequiredTestClass();
		for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
			Optional<MqttBrokerTest> found = AnnotationSupport.findAnnotation(type, MqttBrokerTest.class);
			if (found.isPresent()) {
				return found.get();
			}
		}
		throw new IllegalStateException(testClass.getName() + " is not annotated with @MqttBrokerTest");
	}

	/**
	 * Keeps the class's broker in the store; JUnit closes it when the class's context
	 * ends.
	 */
	private record Holder(MqttBroker broker) implements AutoCloseable {

		@Override
		public void close() {
			this.broker.close();
		}

	}

}
