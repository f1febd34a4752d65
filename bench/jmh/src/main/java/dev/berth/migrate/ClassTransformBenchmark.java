package dev.berth.migrate;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * What the class-load bridge ({@link RemovedServletMethods}) costs a class as the webapp class loader hands it
 * over. {@code archive} passes every class of a WAR (WEB-INF/classes and the jars in WEB-INF/lib) or a jar through
 * it in turn, one class an operation: the average over a real mix, most classes taking the fast path that only
 * looks for {@code jakarta/servlet/} in the bytes (param {@code classes}: a WAR or jar; empty means Berth's own
 * jar). The three others take one made-up class each: one that names no Servlet type, one that calls a Servlet
 * method that still exists (read by ASM, left as it is), and one that calls
 * {@code HttpServletResponse.setStatus(int, String)} (rewritten).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ClassTransformBenchmark {

    private static final String RESPONSE = "jakarta/servlet/http/HttpServletResponse";

    @Param({""})
    public String classes;

    private final RemovedServletMethods transformer = new RemovedServletMethods();
    private byte[][] all;
    private int next;
    private byte[] untouched;
    private byte[] scanned;
    private byte[] rewritten;

    @Setup
    public void setUp() throws IOException {
        Path source = classes.isEmpty()
                ? Path.of(RemovedServletMethods.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                : Path.of(classes);
        List<byte[]> found = new ArrayList<>();
        try (InputStream in = Files.newInputStream(source)) {
            collect(in, found);
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("no classes in " + source);
        }
        all = found.toArray(new byte[0][]);
        int changed = 0;
        for (byte[] c : all) {
            changed += transformer.transform(null, "x", null, null, c) == null ? 0 : 1;
        }
        System.out.printf("%s: %d classes, %d rewritten%n", source.getFileName(), all.length, changed);
        untouched = caller("java/lang/CharSequence", "length", "()I");
        scanned = caller(RESPONSE, "setStatus", "(I)V");
        rewritten = caller(RESPONSE, "setStatus", "(ILjava/lang/String;)V");
        check(untouched, false);
        check(scanned, false);
        check(rewritten, true);
    }

    @Benchmark
    public byte[] archive() {
        byte[] c = all[next];
        next = next + 1 == all.length ? 0 : next + 1;
        return transformer.transform(null, "x", null, null, c);
    }

    @Benchmark
    public byte[] untouched() {
        return transformer.transform(null, "x", null, null, untouched);
    }

    @Benchmark
    public byte[] scanned() {
        return transformer.transform(null, "x", null, null, scanned);
    }

    @Benchmark
    public byte[] rewritten() {
        return transformer.transform(null, "x", null, null, rewritten);
    }

    /** The classes of a jar or WAR, and of the jars inside it (a WAR's WEB-INF/lib). */
    private static void collect(InputStream archive, List<byte[]> classes) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(archive)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String name = e.getName();
                if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
                    classes.add(zip.readAllBytes());
                } else if (name.endsWith(".jar")) {
                    collect(new ByteArrayInputStream(zip.readAllBytes()), classes);
                }
            }
        }
    }

    /** A class with one method that calls owner.method on its argument, as code compiled against owner would. */
    private static byte[] caller(String owner, String method, String descriptor) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "bench/Caller", null, "java/lang/Object", null);
        MethodVisitor m = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "call", "(L" + owner + ";)V", null, null);
        m.visitCode();
        m.visitVarInsn(Opcodes.ALOAD, 0);
        if (descriptor.startsWith("(I")) {
            m.visitIntInsn(Opcodes.SIPUSH, 404);
        }
        if (descriptor.contains("String;)")) {
            m.visitLdcInsn("Not Found");
        }
        m.visitMethodInsn(Opcodes.INVOKEINTERFACE, owner, method, descriptor, true);
        if (descriptor.endsWith(")I")) {
            m.visitInsn(Opcodes.POP);
        }
        m.visitInsn(Opcodes.RETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    private void check(byte[] c, boolean changed) {
        if ((transformer.transform(null, "x", null, null, c) != null) != changed) {
            throw new IllegalStateException("the made-up class was " + (changed ? "not " : "") + "rewritten");
        }
    }
}
