<%@ page contentType="text/html;charset=UTF-8" %>
<!DOCTYPE html>
<html>
<head><title>Berth bench app</title></head>
<body>
<p>Hello from a JSP: <%= request.getServletContext().getServerInfo() %>, <%= 6 * 7 %></p>
</body>
</html>
