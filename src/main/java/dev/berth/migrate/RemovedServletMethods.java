package dev.berth.migrate;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.lang.instrument.ClassFileTransformer;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites, as the WAR's classes load, each call to a Servlet API method that Servlet 6.0 removed into a call
 * to {@link ServletBridges} (Jersey 2 calls {@code HttpServletResponse.setStatus(int, String)}; old libraries
 * call {@code HttpSession.getValue} and {@code encodeUrl}). Only a class whose constant pool names a Jakarta
 * Servlet type and one of those methods is read by ASM; only one that really calls one is rewritten. The
 * replacement has the same stack effect (the receiver becomes the first argument), so nothing else changes.
 */
public final class RemovedServletMethods implements ClassFileTransformer {

    private static final String BRIDGES = ServletBridges.class.getName().replace('.', '/');
    private static final byte[] SERVLET = "jakarta/servlet/".getBytes(StandardCharsets.US_ASCII);
    private static final String RESPONSE = "Ljakarta/servlet/http/HttpServletResponse;";
    private static final String REQUEST = "Ljakarta/servlet/http/HttpServletRequest;";
    private static final String SESSION = "Ljakarta/servlet/http/HttpSession;";
    private static final String CONTEXT = "Ljakarta/servlet/ServletContext;";

    /** name + descriptor of each removed method → the receiver type its bridge takes. */
    private static final Map<String, String> REMOVED = new HashMap<>();
    /** The types (and their wrappers) that declared them. */
    private static final Set<String> OWNERS = Set.of("jakarta/servlet/http/HttpServletResponse", "jakarta/servlet/http/HttpServletResponseWrapper",
            "jakarta/servlet/http/HttpServletRequest", "jakarta/servlet/http/HttpServletRequestWrapper", "jakarta/servlet/ServletRequest",
            "jakarta/servlet/ServletRequestWrapper", "jakarta/servlet/http/HttpSession", "jakarta/servlet/ServletContext");

    static {
        REMOVED.put("setStatus(ILjava/lang/String;)V", RESPONSE);
        REMOVED.put("encodeUrl(Ljava/lang/String;)Ljava/lang/String;", RESPONSE);
        REMOVED.put("encodeRedirectUrl(Ljava/lang/String;)Ljava/lang/String;", RESPONSE);
        REMOVED.put("isRequestedSessionIdFromUrl()Z", REQUEST);
        REMOVED.put("getRealPath(Ljava/lang/String;)Ljava/lang/String;", "Ljakarta/servlet/ServletRequest;");
        REMOVED.put("getValue(Ljava/lang/String;)Ljava/lang/Object;", SESSION);
        REMOVED.put("putValue(Ljava/lang/String;Ljava/lang/Object;)V", SESSION);
        REMOVED.put("removeValue(Ljava/lang/String;)V", SESSION);
        REMOVED.put("getValueNames()[Ljava/lang/String;", SESSION);
        REMOVED.put("getServlet(Ljava/lang/String;)Ljakarta/servlet/Servlet;", CONTEXT);
        REMOVED.put("getServlets()Ljava/util/Enumeration;", CONTEXT);
        REMOVED.put("getServletNames()Ljava/util/Enumeration;", CONTEXT);
        REMOVED.put("log(Ljava/lang/Exception;Ljava/lang/String;)V", CONTEXT);
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
        if (!ServletNamespace.contains(bytes, SERVLET)) {
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
                    String receiver = opcode == Opcodes.INVOKESTATIC || !OWNERS.contains(owner) ? null : REMOVED.get(method + desc);
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
