package io.umqtt.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps every main source file of every module small enough to read whole: at most 600
 * lines, the public facade {@code MqttClient.java} (its nested {@code Builder} included)
 * at most 700. New logic goes into a new, focused class instead (README, "Working on
 * umqtt").
 */
class SourceFileSizeTests {

	static final int LIMIT = 600;

	static final int FACADE_LIMIT = 700;

	@Test
	void noMainSourceFileIsTooLong() throws IOException {
		Path root = Paths.get("").toAbsolutePath().getParent();
		List<Path> sources = mainSources(root);
		assertThat(sources).as("main sources under %s", root)
			.anySatisfy((file) -> assertThat(file).hasFileName("MqttClient.java"));
		List<String> tooLong = new ArrayList<>();
		for (Path file : sources) {
			long lines;
			try (Stream<String> text = Files.lines(file)) {
				lines = text.count();
			}
			int limit = file.endsWith(Paths.get("io", "umqtt", "core", "MqttClient.java")) ? FACADE_LIMIT : LIMIT;
			if (lines > limit) {
				tooLong.add(root.relativize(file) + ": " + lines + " lines, over " + limit);
			}
		}
		assertThat(tooLong).as("main source files over the size limit").isEmpty();
	}

	/** The Java files under each module's {@code src/main/java}. */
	static List<Path> mainSources(Path root) throws IOException {
		List<Path> sources = new ArrayList<>();
		try (Stream<Path> modules = Files.list(root)) {
			for (Path module : modules.filter(Files::isDirectory).toList()) {
				Path main = module.resolve("src/main/java");
				if (Files.isDirectory(main)) {
					try (Stream<Path> files = Files.walk(main)) {
						files.filter((file) -> file.toString().endsWith(".java")).forEach(sources::add);
					}
				}
			}
		}
		return sources;
	}

}
