import unittest

from berthbench import berth


class BerthCommandTest(unittest.TestCase):

    def test_berth_listens_on_loopback_on_one_port_with_flags_before_the_war(self):
        self.assertEqual(["java", "-Xss1m", "-jar", "b.jar", "--host=127.0.0.1", "--port=20001", "--fallback-ports=",
                          "--access-log=off", "app.war"],
                         berth.command("b.jar", 20001, "--access-log=off", war="app.war", jvm=["-Xss1m"]))

    def test_without_a_war_it_serves_its_status_page(self):
        self.assertEqual(["/jdk/bin/java", "-jar", "b.jar", "--host=127.0.0.1", "--port=PORT", "--fallback-ports="],
                         berth.command("b.jar", "PORT", java="/jdk/bin/java"))


if __name__ == "__main__":
    unittest.main()
