import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ml.combust.bundle.dsl.Bundle;
import ml.combust.mleap.runtime.MleapContext;
import ml.combust.mleap.runtime.frame.DefaultLeapFrame;
import ml.combust.mleap.runtime.frame.Row;
import ml.combust.mleap.runtime.frame.RowTransformer;
import ml.combust.mleap.runtime.frame.Transformer;
import ml.combust.mleap.runtime.javadsl.BundleBuilder;
import ml.combust.mleap.runtime.javadsl.ContextBuilder;
import ml.combust.mleap.runtime.javadsl.LeapFrameSupport;
import ml.combust.mleap.runtime.javadsl.RowTransformerSupport;
import ml.combust.mleap.runtime.serialization.FrameReader;
import ml.combust.mleap.runtime.serialization.FrameReader$;
import ml.combust.mleap.runtime.serialization.FrameWriter;
import ml.combust.mleap.runtime.serialization.FrameWriter$;

/**
 * Drives the real MLeap runtime for sparkleap's interop suite: one JVM runs a whole job file.
 *
 * Each line of the job file is a tab-separated task; each task writes one JSON result file:
 *   transform BUNDLE OUT FRAME COLS  load BUNDLE (zip or directory), transform the MLeap JSON LeapFrame in FRAME,
 *                                    write the COLS (comma-separated) of the result as an MLeap JSON LeapFrame
 *   save BUNDLE OUT ZIP              load BUNDLE and write it again with MLeap's own bundle writer to ZIP
 *   bench BUNDLE OUT FRAME SECONDS   time batched LeapFrame transforms and single-row RowTransformer calls
 *   load BUNDLE OUT REPEATS          time loading BUNDLE: the task's first load, then REPEATS more (wall seconds)
 * A task that fails writes {"loaded": bool, "error": "..."} and the next task runs; the exit code is 0 unless the job file is bad.
 */
public final class MleapHarness {
    private static final MleapContext CONTEXT = new ContextBuilder().createMleapContext();
    private static double firstLoad;

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: MleapHarness JOB_FILE");
            System.exit(2);
        }
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            String[] task = line.split("\t");
            Path out = Path.of(task[2]);
            String result;
            Transformer model = null;
            try {
                long started = System.nanoTime();
                model = load(task[1]);
                firstLoad = (System.nanoTime() - started) / 1e9;
                result = run(task, model);
            } catch (Throwable e) {
                result = "{\"loaded\": " + (model != null) + ", \"error\": " + quote(describe(e)) + "}";
            }
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            Files.writeString(tmp, result, StandardCharsets.UTF_8);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static String run(String[] task, Transformer model) throws Exception {
        switch (task[0]) {
            case "transform": {
                DefaultLeapFrame frame = model.transform(readFrame(task[3])).get();
                List<String> cols = Arrays.asList(task[4].split(","));
                DefaultLeapFrame selected = new LeapFrameSupport().select(frame, cols);
                return new String(writer(selected).toBytes(StandardCharsets.UTF_8).get(), StandardCharsets.UTF_8);
            }
            case "save": {
                File zip = new File(task[3]);
                Files.deleteIfExists(zip.toPath());
                new BundleBuilder().save(model, zip, CONTEXT);
                return "{\"saved\": " + quote(zip.getPath()) + "}";
            }
            case "bench":
                return bench(model, readFrame(task[3]), Double.parseDouble(task[4]));
            case "load":
                return loadTimes(task[1], Integer.parseInt(task[3]));
            default:
                throw new IllegalArgumentException("unknown task " + task[0]);
        }
    }

    private static Transformer load(String path) {
        Bundle<Transformer> bundle = new BundleBuilder().load(new File(path), CONTEXT);
        return bundle.root();
    }

    private static DefaultLeapFrame readFrame(String path) throws Exception {
        byte[] bytes = Files.readAllBytes(Path.of(path));
        return FrameReader$.MODULE$.apply("ml.combust.mleap.json", scala.Option.empty())
                .fromBytes(bytes, StandardCharsets.UTF_8).get();
    }

    private static FrameWriter writer(DefaultLeapFrame frame) {
        return FrameWriter$.MODULE$.apply(frame, "ml.combust.mleap.json", scala.Option.empty(),
                scala.reflect.ClassTag$.MODULE$.apply(DefaultLeapFrame.class));
    }

    /**
     * Batched: whole-frame transforms, rows/s. Single row: one RowTransformer built once (as a server would),
     * each input row transformed alone, microseconds per row. Each is warmed up for half of `seconds` first.
     * Times are this thread's CPU time (the machine is shared: waiting for a core is not counted).
     */
    private static String bench(Transformer model, DefaultLeapFrame frame, double seconds) {
        List<Row> rows = new ArrayList<>(new LeapFrameSupport().collect(frame));
        RowTransformer rowTransformer = (RowTransformer) model.transform(
                new RowTransformerSupport().createRowTransformer(frame.schema())).get();
        long[] batch = timeLoop(seconds, () -> model.transform(frame).get().collect());
        int[] next = {0};
        long[] single = timeLoop(seconds, () -> rowTransformer.transform(rows.get(next[0]++ % rows.size())));
        return "{\"rows\": " + rows.size()
                + ", \"batch_calls\": " + batch[0]
                + ", \"batch_rows_per_s\": " + (batch[0] * rows.size() / (batch[1] / 1e9))
                + ", \"single_calls\": " + single[0]
                + ", \"single_us\": " + (single[1] / 1e3 / single[0]) + "}";
    }

    /** The task's first load and `repeats` more of the same bundle, in wall seconds (loading reads files). */
    private static String loadTimes(String path, int repeats) {
        double[] times = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long started = System.nanoTime();
            load(path);
            times[i] = (System.nanoTime() - started) / 1e9;
        }
        Arrays.sort(times);
        return "{\"first_s\": " + firstLoad + ", \"median_s\": " + times[repeats / 2] + ", \"min_s\": " + times[0] + "}";
    }

    /** Runs `body` for seconds/2 (wall) to warm up, then for `seconds`; returns {calls, CPU nanoseconds}. */
    private static long[] timeLoop(double seconds, Runnable body) {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (long end = System.nanoTime() + (long) (seconds * 5e8); System.nanoTime() < end; ) body.run();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = cpu.getCurrentThreadCpuTime();
        long calls = 0;
        do {
            for (int i = 0; i < 16; i++) body.run();
            calls += 16;
        } while (System.nanoTime() < end);
        return new long[] {calls, cpu.getCurrentThreadCpuTime() - start};
    }

    private static String describe(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        String[] lines = trace.toString().split("\n");
        return String.join("\n", Arrays.asList(lines).subList(0, Math.min(lines.length, 12)));
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
