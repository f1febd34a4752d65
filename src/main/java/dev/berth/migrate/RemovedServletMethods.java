package dev.berth.migrate;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites, as the WAR's classes load, each call to a Servlet API method that Servlet 6.0 removed into a call
 * to {@link ServletBridges} (Jersey 2 calls {@code HttpServletResponse.setStatus(int, String)}; old libraries
 * call {@code HttpSession.getValue} and {@code encodeUrl}). Only a class whose constant pool names a Jakarta
 * Servlet type and one of those methods is read by ASM; only one that really calls one is rewritten. The
 * replacement has the same stack effect (the receiver becomes the first argument), so nothing else changes.
 */
final class RemovedServletMethods implements ClassFileTransformer {

    private static final String BRIDGES = ServletBridges.class.getName().replace('.', '/');
    private static final byte[] SERVLET = "jakarta/servlet/".getBytes(StandardCharsets.US_ASCII);
    private static final String RESPONSE = "Ljakarta/servlet/http/HttpServletResponse;";
    private static final String REQUEST = "Ljakarta/servlet/http/HttpServletRequest;";
    private static final String SESSION = "Ljakarta/servlet/http/HttpSession;";
    private static final String CONTEXT = "Ljakarta/servlet/ServletContext;";

    private static final String SERVLET_REQUEST = "Ljakarta/servlet/ServletRequest;";

    /** Each type that declared removed methods (or wraps one that did) → the receiver type its bridges take. */
    private static final Map<String, String> OWNERS = Map.of(
            "jakarta/servlet/http/HttpServletResponse", RESPONSE, "jakarta/servlet/http/HttpServletResponseWrapper", RESPONSE,
            "jakarta/servlet/http/HttpServletRequest", REQUEST, "jakarta/servlet/http/HttpServletRequestWrapper", REQUEST,
            "jakarta/servlet/ServletRequest", SERVLET_REQUEST, "jakarta/servlet/ServletRequestWrapper", SERVLET_REQUEST,
            "jakarta/servlet/http/HttpSession", SESSION, "jakarta/servlet/ServletContext", CONTEXT);

    /** The removed methods (name and descriptor) of each receiver type; ServletContext.getRealPath, say, is still there. */
    private static final Map<String, Set<String>> REMOVED = Map.of(
            RESPONSE, Set.of("setStatus(ILjava/lang/String;)V", "encodeUrl(Ljava/lang/String;)Ljava/lang/String;",
                    "encodeRedirectUrl(Ljava/lang/String;)Ljava/lang/String;"),
            REQUEST, Set.of("isRequestedSessionIdFromUrl()Z", "getRealPath(Ljava/lang/String;)Ljava/lang/String;"),
            SERVLET_REQUEST, Set.of("getRealPath(Ljava/lang/String;)Ljava/lang/String;"),
            SESSION, Set.of("getValue(Ljava/lang/String;)Ljava/lang/Object;", "putValue(Ljava/lang/String;Ljava/lang/Object;)V",
                    "removeValue(Ljava/lang/String;)V", "getValueNames()[Ljava/lang/String;"),
            CONTEXT, Set.of("getServlet(Ljava/lang/String;)Ljakarta/servlet/Servlet;", "getServlets()Ljava/util/Enumeration;",
                    "getServletNames()Ljava/util/Enumeration;", "log(Ljava/lang/Exception;Ljava/lang/String;)V"));

    /** Each removed method's name and descriptor: a class calling one has both in its constant pool. */
    private static final List<byte[][]> SIGNATURES = REMOVED.values().stream().flatMap(Set::stream).distinct()
            .map(method -> new byte[][] {method.substring(0, method.indexOf('(')).getBytes(StandardCharsets.US_ASCII),
                method.substring(method.indexOf('(')).getBytes(StandardCharsets.US_ASCII)})
            .toList();

    /** Whether a class may call a removed method (its constant pool has the name and descriptor of one): else it is not parsed. */
    static boolean mayCallARemovedMethod(byte[] bytes) {
        for (byte[][] signature : SIGNATURES) {
            if (ServletNamespace.contains(bytes, signature[0]) && ServletNamespace.contains(bytes, signature[1])) {
                return true;
            }
        }
        return false;
    }

    /** The receiver type of the bridge for this call, or null when the call is to a method that still exists. */
    static String bridgedReceiver(int opcode, String owner, String method, String descriptor) {
        String receiver = opcode == Opcodes.INVOKESTATIC ? null : OWNERS.get(owner);
        return receiver != null && REMOVED.get(receiver).contains(method + descriptor) ? receiver : null;
    }

    /**
     * Rewrites, in place, the classes of {@code jar} that call removed methods: for a converted jar of
     * {@code berth.classpath}, whose loader is not Jetty's and takes no transformer. Returns how many changed (none:
     * the file is left as it was).
     */
    static int bridge(Path jar) throws IOException {
        RemovedServletMethods methods = new RemovedServletMethods();
        return ZipRewrite.inPlace(jar, (name, bytes) -> name.endsWith(".class") ? methods.transform(null, null, null, null, bytes) : null).size();
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
        if (!ServletNamespace.contains(bytes, SERVLET) || !mayCallARemovedMethod(bytes)) {
            return null;
        }
        ClassReader reader = new ClassReader(bytes);
        Rewriter probe = new Rewriter(null);
        reader.accept(probe, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        if (!probe.rewrote) {
            return null;
        }
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new Rewriter(writer), 0);
        return writer.toByteArray();
    }

    /** Replaces the calls; without a delegate it only notes whether there is one. */
    private static final class Rewriter extends ClassVisitor {
        boolean rewrote;

        Rewriter(ClassVisitor delegate) {
            super(Opcodes.ASM9, delegate);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor next = cv == null ? null : super.visitMethod(access, name, descriptor, signature, exceptions);
            return new MethodVisitor(Opcodes.ASM9, next) {
                @Override
                public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean isInterface) {
                    String receiver = bridgedReceiver(opcode, owner, method, desc);
                    if (receiver == null) {
                        super.visitMethodInsn(opcode, owner, method, desc, isInterface);
                        return;
                    }
                    rewrote = true;
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGES, method, "(" + receiver + desc.substring(1), false);
                }
            };
        }
    }
}
