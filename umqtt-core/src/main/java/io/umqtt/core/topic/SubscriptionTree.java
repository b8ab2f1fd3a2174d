package io.umqtt.core.topic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values registered under topic filters, found by topic name: a tree with one level per
 * node, where {@code +} and {@code #} are children of their own. Matching walks only the
 * branches a topic can reach, so its cost grows with the topic's depth, not the number of
 * filters.
 * <p>
 * Thread-safe: registrations and look-ups may come from any thread.
 *
 * @param <T> the type of value registered
 */
public final class SubscriptionTree<T> {

	private final Node<T> root = new Node<>();

	private int size;

	/** The topic matched last and its result, until the registrations change. */
	private String lastTopic;

	private List<T> lastMatch;

	/**
	 * Registers {@code value} under {@code filter}. A shared-subscription filter is
	 * matched without its {@code $share/<group>/} prefix.
	 * @param filter a valid topic filter
	 * @param value the value
	 */
	public synchronized void add(String filter, T value) {
		TopicFilter.check(filter);
		Node<T> node = this.root;
		for (String level : TopicFilter.matchingFilter(filter).split("/", -1)) {
			node = node.children.computeIfAbsent(level, (key) -> new Node<>());
		}
		node.values.computeIfAbsent(filter, (key) -> new ArrayList<>()).add(value);
		this.size++;
		this.lastTopic = null;
	}

	/**
	 * Removes one registration of {@code value} under {@code filter}.
	 * @param filter the filter it was added with
	 * @param value the value
	 * @return whether it was registered
	 */
	public synchronized boolean remove(String filter, T value) {
		Node<T> node = find(filter);
		if (node == null) {
			return false;
		}
		List<T> values = node.values.get(filter);
		if (values == null || !values.remove(value)) {
			return false;
		}
		if (values.isEmpty()) {
			node.values.remove(filter);
		}
		this.size--;
		this.lastTopic = null;
		return true;
	}

	/**
	 * The values registered under {@code filter} itself (not those of filters it
	 * matches).
	 * @param filter the filter they were added with
	 * @return a copy, one entry per registration
	 */
	public synchronized List<T> registered(String filter) {
		Node<T> node = find(filter);
		List<T> values = (node != null) ? node.values.get(filter) : null;
		return (values != null) ? List.copyOf(values) : List.of();
	}

	/**
	 * Removes every value registered under {@code filter}.
	 * @param filter the filter
	 * @return how many were removed
	 */
	public synchronized int removeAll(String filter) {
		Node<T> node = find(filter);
		if (node == null) {
			return 0;
		}
		List<T> values = node.values.remove(filter);
		int removed = (values != null) ? values.size() : 0;
		this.size -= removed;
		this.lastTopic = null;
		return removed;
	}

	private Node<T> find(String filter) {
		Node<T> node = this.root;
		for (String level : TopicFilter.matchingFilter(filter).split("/", -1)) {
			node = node.children.get(level);
			if (node == null) {
				return null;
			}
		}
		return node;
	}

	/**
	 * The values whose filters match {@code topic}, each registration once.
	 * @param topic a topic name
	 * @return the matching values, empty when none; unmodifiable
	 */
	public synchronized List<T> match(String topic) {
		// messages often repeat the topic of the one before (the decoder even hands the
		// same string)
		String last = this.lastTopic;
		if (last != null && (last == topic || last.equals(topic))) {
			return this.lastMatch;
		}
		List<T> result = new ArrayList<>(2);
		boolean system = !topic.isEmpty() && topic.charAt(0) == '$';
		collect(this.root, topic, 0, system, result);
		List<T> match = Collections.unmodifiableList(result);
		this.lastTopic = topic;
		this.lastMatch = match;
		return match;
	}

	private void collect(Node<T> node, String topic, int start, boolean system, List<T> result) {
		// [MQTT-4.7.2-1]: wildcards at the first level do not match topics starting with
		// '$'
		boolean wildcardsAllowed = !(system && start == 0);
		if (wildcardsAllowed) {
			Node<T> hash = node.children.get("#");
			if (hash != null) {
				hash.addValuesTo(result);
			}
		}
		int end = topic.indexOf('/', start);
		boolean last = end < 0;
		String level = topic.substring(start, last ? topic.length() : end);
		Node<T> exact = node.children.get(level);
		if (exact != null) {
			descend(exact, topic, end, last, system, result);
		}
		if (wildcardsAllowed) {
			Node<T> plus = node.children.get("+");
			if (plus != null) {
				descend(plus, topic, end, last, system, result);
			}
		}
	}

	private void descend(Node<T> child, String topic, int end, boolean last, boolean system, List<T> result) {
		if (last) {
			child.addValuesTo(result);
			// "a/#" also matches "a" [MQTT-4.7.1-2]
			Node<T> hash = child.children.get("#");
			if (hash != null) {
				hash.addValuesTo(result);
			}
		}
		else {
			collect(child, topic, end + 1, system, result);
		}
	}

	/** How many registrations the tree holds. */
	public synchronized int size() {
		return this.size;
	}

	/** Whether nothing is registered. */
	public synchronized boolean isEmpty() {
		return this.size == 0;
	}

	private static final class Node<T> {

		private final Map<String, Node<T>> children = new HashMap<>(4);

		private final Map<String, List<T>> values = new LinkedHashMap<>(2);

		void addValuesTo(List<T> result) {
			for (List<T> list : this.values.values()) {
				result.addAll(list);
			}
		}

	}

}
