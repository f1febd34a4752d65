package dev.berth.bench.sessions;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The session bench's application. /count reads this session's counter and writes it back incremented (the
 * same read+write as the test fixture's /count), so every request loads the session and changes it; the
 * session also holds a user name, as a logged-in session would. /count?work=MICROS first spends that much CPU
 * time, standing in for the application's own work. /ping touches no session: the load generator is compared
 * with wrk on it.
 */
@WebServlet({"/count", "/ping"})
public class CountServlet extends HttpServlet {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        if (request.getServletPath().equals("/ping")) {
            response.getWriter().print("pong");
            return;
        }
        String work = request.getParameter("work");
        if (work != null && spend(Long.parseLong(work)) == 0) {
            response.setHeader("X-Unlikely", "0");      // uses the result, so the JIT keeps the loop
        }
        HttpSession session = request.getSession(true);
        if (session.isNew()) {
            session.setAttribute("user", "bench-user-" + session.getId().substring(0, 6));
        }
        Integer count = (Integer) session.getAttribute("count");
        int next = count == null ? 1 : count + 1;
        session.setAttribute("count", next);
        response.getWriter().print("count=" + next);
    }

    /** Computes until this thread has used {@code micros} more CPU time (wall time would count waiting for a CPU). */
    private static long spend(long micros) {
        long end = THREADS.getCurrentThreadCpuTime() + micros * 1000;
        long x = 88172645463325252L;
        while (THREADS.getCurrentThreadCpuTime() < end) {
            for (int i = 0; i < 1000; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
        }
        return x;
    }
}
