package io.tcpscope.cluster;

import io.tcpscope.analyzer.cli.Durations;
import io.tcpscope.analyzer.cli.ExitCode;
import io.tcpscope.analyzer.cli.UsageException;
import io.tcpscope.analyzer.engine.Pipeline;
import io.tcpscope.analyzer.flow.FlowTable;
import io.tcpscope.capture.CaptureException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * {@code tcpscope cluster [--master URL] [--stuck-after D] [--idle-timeout D] [--format
 * jsonl|parquet] [--partitions N] --output DIR INPUT...}: the job in an embedded local Spark
 * ({@code local[*]}) unless {@code --master} (or spark-submit) says otherwise.
 */
public final class ClusterMain {
    static final String USAGE = "usage: tcpscope cluster [--master URL] [--stuck-after DURATION] [--idle-timeout DURATION]"
            + " [--format jsonl|parquet] [--partitions N] --output DIR INPUT...";

    private ClusterMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.err, null));
    }

    /** @param given a running session to use (tests), or null to start one and stop it at the end */
    static int run(String[] args, PrintStream err, SparkSession given) {
        ClusterJob.Config config;
        String master;
        try {
            String[] m = new String[1];
            config = parse(args, m);
            master = m[0];
        } catch (UsageException e) {
            err.println("tcpscope: " + e.getMessage());
            err.println(USAGE);
            return ExitCode.USAGE;
        }
        SparkSession spark = given;
        if (spark == null) {
            SparkSession.Builder builder = SparkSession.builder().appName("tcpscope cluster");
            if (master != null) {
                builder.master(master);
            } else if (System.getProperty("spark.master") == null) {
                builder.master("local[*]");
            }
            spark = builder.getOrCreate();
        }
        try {
            org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
            for (String input : config.inputs()) {
                Path p = new Path(input);
                FileStatus[] found = p.getFileSystem(hadoop).globStatus(p);
                if (found == null || found.length == 0) {
                    err.println("tcpscope: " + input + ": no such file or directory");
                    return CaptureException.Kind.NOT_FOUND.exitCode();
                }
            }
            Path output = new Path(config.output());
            FileSystem fs = output.getFileSystem(hadoop);
            if (fs.exists(new Path(output, "connections")) || fs.exists(new Path(output, "summary.json"))
                    || fs.exists(new Path(output, "culprits"))) {
                err.println("tcpscope: " + config.output() + " already holds a result (connections/, summary.json,"
                        + " culprits/);"
                        + " remove it or choose another --output");
                return ExitCode.OUTPUT;
            }
            ClusterJob.Result r = ClusterJob.run(spark, config);
            err.println("tcpscope: " + r.frames() + " frames, " + r.connections() + " connections; wrote "
                    + config.output() + "/connections, " + config.output() + "/summary.json and " + config.output()
                    + "/culprits");
            if (r.damage() != null) {
                err.println("tcpscope: warning: " + r.damage());
                return ExitCode.DAMAGED;
            }
            return ExitCode.OK;
        } catch (ClusterJob.InputException e) {
            err.println("tcpscope: " + e.getMessage());
            return e.kind().exitCode();
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String text = root.getMessage() == null ? root.toString() : root.getMessage();
            err.println("tcpscope: cluster: " + text.lines().findFirst().orElse(text));
            return root instanceof java.io.IOException ? ExitCode.OUTPUT : ExitCode.INTERNAL;
        } finally {
            if (given == null) {
                spark.stop();
            }
        }
    }

    static ClusterJob.Config parse(String[] args, String[] master) throws UsageException {
        String output = null;
        ClusterJob.Format format = ClusterJob.Format.JSONL;
        long stuckAfter = Pipeline.Settings.DEFAULT_STUCK_AFTER_NANOS;
        long idle = Pipeline.Settings.DEFAULT_IDLE_TIMEOUT_NANOS;
        int partitions = 0;
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.equals("--")) {
                inputs.add(a);
                continue;
            }
            if (i + 1 >= args.length) {
                throw new UsageException("cluster: " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--master" -> master[0] = v;
                case "--output" -> output = v;
                case "--stuck-after" -> stuckAfter = Durations.parse(v);
                case "--idle-timeout" -> {
                    idle = Durations.parse(v);
                    if (idle <= 0) {
                        throw new UsageException("--idle-timeout must be longer than zero");
                    }
                }
                case "--format" -> {
                    try {
                        format = ClusterJob.Format.valueOf(v.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("cluster: --format is jsonl or parquet, not '" + v + "'");
                    }
                }
                case "--partitions" -> {
                    try {
                        partitions = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        partitions = -1;
                    }
                    if (partitions < 1) {
                        throw new UsageException("cluster: --partitions must be a positive number");
                    }
                }
                default -> throw new UsageException("cluster: unknown option " + a);
            }
        }
        if (output == null) {
            throw new UsageException("cluster: --output DIR is required");
        }
        if (inputs.isEmpty()) {
            throw new UsageException("cluster: missing INPUT (files, directories or globs)");
        }
        return new ClusterJob.Config(inputs, output, format, stuckAfter, idle, FlowTable.DEFAULT_MAX_CONNECTIONS,
                partitions);
    }
}
