package io.umqtt.core.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The file-system operations of a {@link FileSessionStore}, in one place so that a test
 * can stand a failing disk in for the real one. Where POSIX permissions exist, what it
 * creates is owner-only: directories {@code rwx------}, files {@code rw-------}.
 */
class StoreFiles {

	static final StoreFiles SYSTEM = new StoreFiles();

	private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
			PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

	void createDirectories(Path directory) throws IOException {
		if (posix(directory)) {
			Files.createDirectories(directory,
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		}
		else {
			Files.createDirectories(directory);
		}
	}

	/**
	 * Opens a session file for reading and writing, creating it owner-only when missing.
	 */
	FileChannel open(Path file) throws IOException {
		return FileChannel.open(file,
				Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE), ownerOnly(file));
	}

	/**
	 * Creates a new, empty file (owner-only) to write a snapshot into; an older one is
	 * replaced.
	 */
	FileChannel create(Path file) throws IOException {
		Files.deleteIfExists(file);
		Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
				StandardOpenOption.WRITE);
		return FileChannel.open(file, options, ownerOnly(file));
	}

	void replace(Path source, Path target) throws IOException {
		Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	/**
	 * Makes a rename in {@code directory} durable. POSIX systems sync a directory through
	 * a read-only descriptor; others (Windows) cannot open a directory and make renames
	 * durable themselves.
	 */
	void syncDirectory(Path directory) throws IOException {
		if (posix(directory)) {
			try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
				channel.force(true);
			}
		}
	}

	/**
	 * Whether group or others may read or write {@code path}; false where POSIX
	 * permissions do not exist.
	 */
	boolean accessibleToOthers(Path path) throws IOException {
		if (!posix(path)) {
			return false;
		}
		Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
		return permissions.stream().anyMatch(GROUP_OR_OTHERS::contains);
	}

	private static boolean posix(Path path) {
		return path.getFileSystem().supportedFileAttributeViews().contains("posix");
	}

	private static FileAttribute<?>[] ownerOnly(Path file) {
		return posix(file)
				? new FileAttribute<?>[] {
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")) }
				: new FileAttribute<?>[0];
	}

}
