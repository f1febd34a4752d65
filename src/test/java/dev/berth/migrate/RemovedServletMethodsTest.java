package dev.berth.migrate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.objectweb.asm.Opcodes;

import static org.assertj.core.api.Assertions.assertThat;

/** Which calls are bridged: exactly the methods Servlet 6 removed, on the types that declared them or wrap them. */
class RemovedServletMethodsTest {

    @ParameterizedTest(name = "{0}.{1}{2} is bridged: {3}")
    @CsvSource(delimiter = '|', value = {
        "jakarta/servlet/http/HttpServletResponse | setStatus | (ILjava/lang/String;)V | true",
        "jakarta/servlet/http/HttpServletResponseWrapper | setStatus | (ILjava/lang/String;)V | true",
        "jakarta/servlet/http/HttpServletResponse | setStatus | (I)V | false",
        "jakarta/servlet/http/HttpServletResponse | encodeUrl | (Ljava/lang/String;)Ljava/lang/String; | true",
        "jakarta/servlet/http/HttpServletResponse | encodeURL | (Ljava/lang/String;)Ljava/lang/String; | false",
        "jakarta/servlet/http/HttpServletRequest | isRequestedSessionIdFromUrl | ()Z | true",
        "jakarta/servlet/ServletRequest | getRealPath | (Ljava/lang/String;)Ljava/lang/String; | true",
        "jakarta/servlet/ServletContext | getRealPath | (Ljava/lang/String;)Ljava/lang/String; | false",
        "jakarta/servlet/http/HttpSession | getValue | (Ljava/lang/String;)Ljava/lang/Object; | true",
        "jakarta/servlet/http/HttpSession | getAttribute | (Ljava/lang/String;)Ljava/lang/Object; | false",
        "jakarta/servlet/ServletContext | log | (Ljava/lang/Exception;Ljava/lang/String;)V | true",
        "jakarta/servlet/ServletContext | log | (Ljava/lang/String;Ljava/lang/Throwable;)V | false",
        "com/example/MyResponse | setStatus | (ILjava/lang/String;)V | false"})
    void exactlyTheRemovedMethodsAreBridged(String owner, String method, String descriptor, boolean bridged) {
        assertThat(RemovedServletMethods.bridgedReceiver(Opcodes.INVOKEINTERFACE, owner, method, descriptor) != null).isEqualTo(bridged);
    }

    @ParameterizedTest(name = "the bridge for {0} exists with the receiver first")
    @CsvSource({"setStatus", "encodeUrl", "encodeRedirectUrl", "isRequestedSessionIdFromUrl", "getRealPath", "getValue", "putValue",
        "removeValue", "getValueNames", "getServlet", "getServlets", "getServletNames", "log"})
    void everyRewrittenCallHasItsBridge(String method) {
        assertThat(java.util.Arrays.stream(ServletBridges.class.getMethods()).filter(m -> m.getName().equals(method))).isNotEmpty();
    }

    @ParameterizedTest(name = "a class calling {0}.{1}{2} is parsed and rewritten: {3}")
    @CsvSource(delimiter = '|', value = {
        "jakarta/servlet/http/HttpServletResponse | setStatus | (ILjava/lang/String;)V | true",
        "jakarta/servlet/http/HttpServletResponse | setStatus | (I)V | false",
        "jakarta/servlet/http/HttpSession | getValue | (Ljava/lang/String;)Ljava/lang/Object; | true",
        "jakarta/servlet/http/HttpSession | getAttribute | (Ljava/lang/String;)Ljava/lang/Object; | false"})
    void onlyAClassWhoseConstantsNameARemovedMethodIsParsed(String owner, String method, String descriptor, boolean rewritten) {
        org.objectweb.asm.ClassWriter writer = new org.objectweb.asm.ClassWriter(0);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "com/example/Caller", null, "java/lang/Object", null);
        org.objectweb.asm.MethodVisitor call = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "call", "(L" + owner + ";)V", null, null);
        call.visitCode();
        call.visitVarInsn(Opcodes.ALOAD, 0);
        org.objectweb.asm.Type[] arguments = org.objectweb.asm.Type.getArgumentTypes(descriptor);
        for (org.objectweb.asm.Type argument : arguments) {
            call.visitInsn(argument.getSort() == org.objectweb.asm.Type.INT ? Opcodes.ICONST_0 : Opcodes.ACONST_NULL);
        }
        call.visitMethodInsn(Opcodes.INVOKEINTERFACE, owner, method, descriptor, true);
        if (org.objectweb.asm.Type.getReturnType(descriptor).getSort() != org.objectweb.asm.Type.VOID) {
            call.visitInsn(Opcodes.POP);
        }
        call.visitInsn(Opcodes.RETURN);
        call.visitMaxs(1 + arguments.length, 1);
        call.visitEnd();
        writer.visitEnd();
        byte[] bytes = writer.toByteArray();
        assertThat(RemovedServletMethods.mayCallARemovedMethod(bytes)).isEqualTo(rewritten);
        assertThat(new RemovedServletMethods().transform(null, null, null, null, bytes) != null).isEqualTo(rewritten);
    }
}
