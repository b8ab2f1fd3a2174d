package io.umqtt.spring.listener;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.umqtt.core.MqttMessage;
import io.umqtt.spring.MqttHeaders;
import io.umqtt.spring.annotation.TopicVariable;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.support.MethodArgumentNotValidException;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The direct invoker gives a listener method exactly the arguments spring-messaging's
 * resolvers give it, takes only the methods it can serve that way, and leaves every other
 * message to spring-messaging.
 */
class DirectListenerInvokerTests {

	private static final TopicTemplate TOPIC = TopicTemplate.parse("devices/{id}/telemetry");

	private final MqttMessageHandlerMethodFactory factory = new MqttMessageHandlerMethodFactory();

	private final Listener listener = new Listener();

	DirectListenerInvokerTests() {
		this.factory.afterPropertiesSet();
	}

	@Test
	void givesTheSameArgumentsAsSpringMessaging() throws Exception {
		MqttMessage message = new MqttMessage("devices/d-7/telemetry", new byte[] { 1, 2, 3 }, 1, true, false, 42);
		for (String name : List.of("bytes", "everything")) {
			InvocableHandlerMethod handlerMethod = handlerMethod(name);
			DirectListenerInvoker direct = DirectListenerInvoker.of(handlerMethod, TOPIC);
			assertThat(direct).as(name).isNotNull();
			handlerMethod.invoke(new MqttListenerMessage(message, "main", TOPIC));
			List<Object> viaSpring = this.listener.take();
			assertThat(direct.invoke(message, "main")).isEqualTo("done");
			List<Object> viaDirect = this.listener.take();
			assertThat(viaDirect).as(name).usingRecursiveComparison().isEqualTo(viaSpring);
		}
		assertThat(this.listener.everything).containsExactly(new byte[] { 1, 2, 3 }, "devices/d-7/telemetry", 1, true,
				false, 42, "main", "d-7");
	}

	@Test
	void leavesMethodsWhoseParametersNeedResolutionToSpringMessaging() {
		for (String name : List.of("text", "message", "customHeader", "unnamedHeader", "wrongHeaderType")) {
			assertThat(DirectListenerInvoker.of(handlerMethod(name), TOPIC)).as(name).isNull();
		}
	}

	@Test
	void anEmptyPayloadIsLeftToSpringMessagingWhichRefusesIt() throws Exception {
		MqttMessage empty = new MqttMessage("devices/d-7/telemetry", new byte[0], 0, false, false, 0);
		InvocableHandlerMethod handlerMethod = handlerMethod("bytes");
		assertThat(
				DirectListenerInvoker.unresolved(DirectListenerInvoker.of(handlerMethod, TOPIC).invoke(empty, "main")))
			.isTrue();
		assertThat(this.listener.take()).isEmpty();
		assertThatExceptionOfType(MethodArgumentNotValidException.class)
			.isThrownBy(() -> handlerMethod.invoke(new MqttListenerMessage(empty, "main", TOPIC)));
	}

	@Test
	void whatTheMethodThrowsComesOutAsItIs() {
		DirectListenerInvoker direct = DirectListenerInvoker.of(handlerMethod("failing"), TOPIC);
		MqttMessage message = new MqttMessage("devices/d-7/telemetry", new byte[] { 9 }, 0, false, false, 0);
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> direct.invoke(message, "main"))
			.withMessage("listener failed");
	}

	private InvocableHandlerMethod handlerMethod(String name) {
		Method method = Arrays.stream(Listener.class.getDeclaredMethods())
			.filter((candidate) -> candidate.getName().equals(name))
			.findFirst()
			.orElseThrow();
		ReflectionUtils.makeAccessible(method);
		return this.factory.createInvocableHandlerMethod(this.listener, method);
	}

	static class Listener {

		private final List<Object> calls = new ArrayList<>();

		List<Object> everything;

		List<Object> take() {
			List<Object> taken = new ArrayList<>(this.calls);
			this.calls.clear();
			return taken;
		}

		String bytes(byte[] payload) {
			this.calls.add(payload);
			return "done";
		}

		String everything(@Payload byte[] payload, @Header(MqttHeaders.TOPIC) String topic,
				@Header(MqttHeaders.QOS) int qos, @Header(MqttHeaders.RETAINED) boolean retained,
				@Header(MqttHeaders.DUPLICATE) Boolean duplicate, @Header(name = MqttHeaders.MESSAGE_ID) Integer id,
				@Header(MqttHeaders.CLIENT) String client, @TopicVariable("id") String device) {
			this.everything = List.of(payload, topic, qos, retained, duplicate, id, client, device);
			this.calls.addAll(this.everything);
			return "done";
		}

		void text(String payload) {
		}

		void message(Message<byte[]> message) {
		}

		void customHeader(@Header("custom") String custom) {
		}

		void unnamedHeader(@Header String mqtt_topic) {
		}

		void wrongHeaderType(@Header(MqttHeaders.QOS) long qos) {
		}

		void failing(byte[] payload) {
			throw new IllegalStateException("listener failed");
		}

	}

}
