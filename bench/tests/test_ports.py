import socket
import unittest

from berthbench import HOST
from berthbench.ports import PortPool, bindable


def listener():
    s = socket.socket()
    s.bind((HOST, 0))
    s.listen()
    return s


class PortPoolTest(unittest.TestCase):

    def test_a_port_it_hands_out_can_be_bound_and_listened_on(self):
        port = PortPool().take()
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((HOST, port))
            s.listen()
            self.assertEqual(port, s.getsockname()[1])

    def test_ports_stay_below_the_ephemeral_range_and_are_not_handed_out_twice_in_a_row(self):
        pool = PortPool()
        taken = [pool.take() for _ in range(20)]
        self.assertEqual(len(taken), len(set(taken)))
        self.assertTrue(all(20000 <= p <= 31999 for p in taken), taken)

    def test_a_port_someone_listens_on_is_skipped(self):
        with listener() as busy:
            port = busy.getsockname()[1]
            self.assertFalse(bindable(port))
            top = min(port + 50, 65535)
            self.assertNotEqual(port, PortPool(low=port, high=top, start=port).take())

    def test_after_the_top_of_the_range_it_wraps_to_the_bottom(self):
        low = next(p for p in range(20000, 31999, 2) if bindable(p) and bindable(p + 1))
        with socket.socket() as busy:
            busy.bind((HOST, low + 1))
            busy.listen()
            self.assertEqual(low, PortPool(low=low, high=low + 1, start=low + 1).take())

    def test_a_range_with_no_free_port_is_an_error_naming_the_range(self):
        with listener() as busy:
            port = busy.getsockname()[1]
            with self.assertRaisesRegex(RuntimeError, "%d-%d" % (port, port)):
                PortPool(low=port, high=port).take()

    def test_a_start_outside_the_range_is_refused(self):
        with self.assertRaises(ValueError):
            PortPool(low=20000, high=20010, start=19999)


if __name__ == "__main__":
    unittest.main()
