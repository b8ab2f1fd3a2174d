package io.umqtt.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real file system with a disk that can fill: once {@link #space} bytes are written,
 * writes put what still fits and then fail as a full disk does. Also records the syncs
 * and renames the store makes, in order.
 */
class FillingDisk extends StoreFiles {

	/** Bytes that can still be written; negative: unlimited. */
	final AtomicLong space = new AtomicLong(-1);

	/** Whether new files (compaction snapshots) find the disk full. */
	volatile boolean fullForNewFiles;

	final List<String> events = new CopyOnWriteArrayList<>();

	@Override
	FileChannel open(Path file) throws IOException {
		return new Filling(super.open(file));
	}

	@Override
	FileChannel create(Path file) throws IOException {
		return this.fullForNewFiles ? new Filling(super.create(file), new AtomicLong())
				: new Filling(super.create(file));
	}

	@Override
	void replace(Path source, Path target) throws IOException {
		super.replace(source, target);
		this.events.add("replace " + target.getFileName());
	}

	@Override
	void syncDirectory(Path directory) throws IOException {
		super.syncDirectory(directory);
		this.events.add("sync directory");
	}

	private final class Filling extends FileChannel {

		private final FileChannel delegate;

		private final AtomicLong space;

		Filling(FileChannel delegate) {
			this(delegate, FillingDisk.this.space);
		}

		Filling(FileChannel delegate, AtomicLong space) {
			this.delegate = delegate;
			this.space = space;
		}

		@Override
		public int write(ByteBuffer source, long position) throws IOException {
			long left = this.space.get();
			if (left < 0) {
				return this.delegate.write(source, position);
			}
			if (left == 0) {
				throw new IOException("No space left on device");
			}
			ByteBuffer fits = source.duplicate();
			fits.limit((int) Math.min(fits.limit(), fits.position() + left));
			int written = this.delegate.write(fits, position);
			source.position(source.position() + written);
			this.space.addAndGet(-written);
			return written;
		}

		@Override
		public int write(ByteBuffer source) throws IOException {
			throw new UnsupportedOperationException("the store writes at positions");
		}

		@Override
		public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
			throw new UnsupportedOperationException("the store writes at positions");
		}

		@Override
		public int read(ByteBuffer destination) throws IOException {
			return this.delegate.read(destination);
		}

		@Override
		public long read(ByteBuffer[] destinations, int offset, int length) throws IOException {
			return this.delegate.read(destinations, offset, length);
		}

		@Override
		public int read(ByteBuffer destination, long position) throws IOException {
			return this.delegate.read(destination, position);
		}

		@Override
		public long position() throws IOException {
			return this.delegate.position();
		}

		@Override
		public FileChannel position(long newPosition) throws IOException {
			this.delegate.position(newPosition);
			return this;
		}

		@Override
		public long size() throws IOException {
			return this.delegate.size();
		}

		@Override
		public FileChannel truncate(long size) throws IOException {
			this.delegate.truncate(size);
			return this;
		}

		@Override
		public void force(boolean metaData) throws IOException {
			this.delegate.force(metaData);
		}

		@Override
		public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
			return this.delegate.transferTo(position, count, target);
		}

		@Override
		public long transferFrom(ReadableByteChannel source, long position, long count) throws IOException {
			throw new UnsupportedOperationException("the store writes at positions");
		}

		@Override
		public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
			throw new UnsupportedOperationException("the store does not map files");
		}

		@Override
		public FileLock lock(long position, long size, boolean shared) throws IOException {
			return this.delegate.lock(position, size, shared);
		}

		@Override
		public FileLock tryLock(long position, long size, boolean shared) throws IOException {
			return this.delegate.tryLock(position, size, shared);
		}

		@Override
		protected void implCloseChannel() throws IOException {
			this.delegate.close();
		}

	}

}
