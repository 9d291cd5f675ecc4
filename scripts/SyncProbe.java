import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one group commit's fdatasync costs on this machine, without RaftDB: each of N threads
 * appends 64 records of 160 bytes to its own file and forces it, 2,000 times, writing through a
 * memory map (as Chronicle Queue does) or with write(); optionally with two busy threads beside
 * them (as a loaded node's other threads are). Prints wall time and thread CPU time per sync.
 *
 * <pre>java scripts/SyncProbe.java mmap|write THREADS [busy] [DIRECTORY]</pre>
 */
public class SyncProbe {
  private static final int ROUNDS = 2_000;
  private static final int RECORDS_PER_SYNC = 64;
  private static final int RECORD_BYTES = 160;

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || !List.of("mmap", "write").contains(args[0])) {
      System.err.println("usage: java scripts/SyncProbe.java mmap|write THREADS [busy] [DIR]");
      System.exit(2);
    }
    boolean mapped = args[0].equals("mmap");
    int threads = Integer.parseInt(args[1]);
    boolean busy = args.length > 2 && args[2].equals("busy");
    Path dir = Path.of(args.length > 3 ? args[3] : ".");
    AtomicBoolean stop = new AtomicBoolean();
    for (int i = 0; busy && i < 2; i++) {
      Thread spinner = new Thread(() -> {
        long x = 0;
        while (!stop.get()) {
          x += System.nanoTime() & 1;
        }
      });
      spinner.setDaemon(true);
      spinner.start();
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Double>> cpu = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      Path file = dir.resolve("sync-probe-" + t + ".dat");
      cpu.add(pool.submit((Callable<Double>) () -> syncs(file, mapped)));
    }
    double cpuPerSync = 0;
    for (Future<Double> f : cpu) {
      cpuPerSync += f.get() / threads;
    }
    double wallPerSync = (System.nanoTime() - start) / 1e3 / ROUNDS;
    stop.set(true);
    pool.shutdown();
    System.out.printf("%s, %d thread(s)%s: %.0f us wall and %.0f us CPU per sync%n",
        args[0], threads, busy ? ", two busy threads beside" : "", wallPerSync, cpuPerSync);
  }

  /** Runs the appends and syncs on {@code file}; returns this thread's CPU µs per sync. */
  private static double syncs(Path file, boolean mapped) throws Exception {
    long size = (long) ROUNDS * RECORDS_PER_SYNC * RECORD_BYTES + (1 << 20);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE)) {
      channel.write(ByteBuffer.allocate(1), size - 1); // sparse, of its final size
      channel.force(true);
      MappedByteBuffer map = mapped ? channel.map(FileChannel.MapMode.READ_WRITE, 0, size) : null;
      ByteBuffer record = ByteBuffer.allocate(RECORD_BYTES);
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long cpuStart = threads.getCurrentThreadCpuTime();
      long position = 0;
      for (int i = 0; i < ROUNDS; i++) {
        for (int j = 0; j < RECORDS_PER_SYNC; j++, position += RECORD_BYTES) {
          record.clear();
          if (map != null) {
            map.put((int) position, record, 0, RECORD_BYTES);
          } else {
            channel.write(record, position);
          }
        }
        channel.force(false);
      }
      return (threads.getCurrentThreadCpuTime() - cpuStart) / 1e3 / ROUNDS;
    }
  }
}
