package io.umqtt.spring.boot.autoconfigure.embedded;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches when {@code umqtt.server} is not set.
 */
public class OnNoServerConfiguredCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String server = context.getEnvironment().getProperty("umqtt.server");
		return StringUtils.hasText(server) ? ConditionOutcome.noMatch("umqtt.server is set to " + server)
				: ConditionOutcome.match("umqtt.server is not set");
	}

}
