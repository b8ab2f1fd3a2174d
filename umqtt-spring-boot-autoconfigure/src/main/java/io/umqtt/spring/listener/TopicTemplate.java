package io.umqtt.spring.listener;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.umqtt.core.topic.TopicFilter;

/**
 * A topic filter with {@code {name}} variables: {@code devices/{id}/telemetry} subscribes
 * {@code devices/+/telemetry}, and for the topic {@code devices/42/telemetry} yields
 * {@code id=42}. A variable must fill a whole level.
 */
public final class TopicTemplate {

	private final String template;

	private final String filter;

	private final List<String> variables;

	private TopicTemplate(String template, String filter, List<String> variables) {
		this.template = template;
		this.filter = filter;
		this.variables = variables;
	}

	/**
	 * Parses a template.
	 * @param template a topic filter, possibly with {@code {name}} levels
	 * @return the template
	 * @throws IllegalArgumentException when a variable does not fill its level or the
	 * filter is invalid
	 */
	public static TopicTemplate parse(String template) {
		String[] levels = template.split("/", -1);
		List<String> variables = new ArrayList<>(levels.length);
		StringBuilder filter = new StringBuilder(template.length());
		boolean any = false;
		for (int i = 0; i < levels.length; i++) {
			String level = levels[i];
			if (i > 0) {
				filter.append('/');
			}
			if (level.startsWith("{") && level.endsWith("}") && level.length() > 2) {
				variables.add(level.substring(1, level.length() - 1));
				filter.append('+');
				any = true;
			}
			else {
				if (level.indexOf('{') >= 0 || level.indexOf('}') >= 0) {
					throw new IllegalArgumentException("Topic variable in '" + template
							+ "' must fill a whole level, like devices/{id}/telemetry");
				}
				variables.add(null);
				filter.append(level);
			}
		}
		TopicFilter.check(filter.toString());
		return new TopicTemplate(template, filter.toString(), any ? variables : Collections.emptyList());
	}

	/** The filter to subscribe: variables replaced by {@code +}. */
	public String filter() {
		return this.filter;
	}

	/** The template as written. */
	public String template() {
		return this.template;
	}

	/** Whether it has variables. */
	public boolean hasVariables() {
		return !this.variables.isEmpty();
	}

	/**
	 * The values of the variables in {@code topic}.
	 * @param topic a topic this template's filter matched
	 * @return variable name to value; empty without variables
	 */
	public Map<String, String> variables(String topic) {
		if (this.variables.isEmpty()) {
			return Collections.emptyMap();
		}
		String[] levels = topic.split("/", -1);
		Map<String, String> values = new LinkedHashMap<>();
		for (int i = 0; i < this.variables.size() && i < levels.length; i++) {
			String name = this.variables.get(i);
			if (name != null) {
				values.put(name, levels[i]);
			}
		}
		return values;
	}

	@Override
	public String toString() {
		return this.template;
	}

}
