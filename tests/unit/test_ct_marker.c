/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The resync marker: recognised only from the dump socket's port with the
 * awaited sequence number, and, between two real netlink sockets, delivered
 * behind what was queued before it and through the event filter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/filter.h>
#include <linux/netlink.h>

#include "ct_event_filter.h"
#include "ct_netlink.h"

#define DUMP_PORT 4242

static void test_recognised(void **state)
{
	uint8_t buf[64];
	size_t len;

	(void)state;
	len = fw_ct_build_marker(buf, sizeof(buf), 7, DUMP_PORT);
	assert_int_equal(len, NLMSG_HDRLEN);
	assert_true(fw_ct_is_marker(buf, len, DUMP_PORT, DUMP_PORT, 7));
	/* another sequence number: an older marker, replaced since */
	assert_false(fw_ct_is_marker(buf, len, DUMP_PORT, DUMP_PORT, 8));
	/* none awaited */
	assert_false(fw_ct_is_marker(buf, len, DUMP_PORT, DUMP_PORT, 0));
	/* from another socket, or from the kernel */
	assert_false(fw_ct_is_marker(buf, len, DUMP_PORT + 1, DUMP_PORT, 7));
	assert_false(fw_ct_is_marker(buf, len, 0, DUMP_PORT, 7));
	/* cut short */
	assert_false(fw_ct_is_marker(buf, len - 1, DUMP_PORT, DUMP_PORT, 7));
	assert_int_equal(fw_ct_build_marker(buf, NLMSG_HDRLEN - 1, 7, DUMP_PORT), 0);
	/* another message type from the same port */
	((struct nlmsghdr *)buf)->nlmsg_type = NLMSG_DONE;
	assert_false(fw_ct_is_marker(buf, len, DUMP_PORT, DUMP_PORT, 7));
}

static int open_bound(uint32_t *portid)
{
	struct sockaddr_nl addr = {.nl_family = AF_NETLINK};
	socklen_t len = sizeof(addr);
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&addr, &len) < 0) {
		close(fd);
		return -1;
	}
	*portid = addr.nl_pid;
	return fd;
}

static int send_to(int fd, uint32_t to, const void *msg, size_t len)
{
	struct sockaddr_nl addr = {.nl_family = AF_NETLINK, .nl_pid = to};

	return (int)sendto(fd, msg, len, 0, (struct sockaddr *)&addr, sizeof(addr));
}

/*
 * Unicast between user sockets of NETLINK_NETFILTER takes CAP_NET_ADMIN
 * (netlink_sendmsg in af_netlink.c): the agent has it, as dumps need it.
 */
static void test_real_sockets(void **state)
{
	static const uint16_t ports[] = {5061};
	struct sock_filter prog[FW_CT_EVENT_FILTER_MAX];
	struct sock_fprog fprog = {.filter = prog};
	uint32_t events_port, dump_port;
	int events = open_bound(&events_port), dump = open_bound(&dump_port);
	uint8_t marker[64], other[64], buf[256];
	struct sockaddr_nl from;
	socklen_t from_len = sizeof(from);
	size_t len;
	ssize_t n;

	(void)state;
	if (events < 0 || dump < 0)
		skip();
	fprog.len = (unsigned short)fw_ct_event_filter_build(ports, 1, 1, 1, 0, prog,
	                                                     FW_CT_EVENT_FILTER_MAX);
	assert_int_equal(setsockopt(events, SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof(fprog)),
	                 0);
	/* something queued first: a stale marker */
	len = fw_ct_build_marker(other, sizeof(other), 1, dump_port);
	if (send_to(dump, events_port, other, len) < 0) {
		if (errno == EPERM)
			skip(); /* not root: nothing to learn here */
		fail_msg("send: %s", strerror(errno));
	}
	len = fw_ct_build_marker(marker, sizeof(marker), 2, dump_port);
	assert_int_equal(send_to(dump, events_port, marker, len), (int)len);

	n = recvfrom(events, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &from_len);
	assert_int_equal(n, (ssize_t)len);
	assert_int_equal(from.nl_pid, dump_port);
	assert_false(fw_ct_is_marker(buf, (size_t)n, from.nl_pid, dump_port, 2));
	n = recvfrom(events, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &from_len);
	assert_int_equal(n, (ssize_t)len);
	assert_true(fw_ct_is_marker(buf, (size_t)n, from.nl_pid, dump_port, 2));
	close(events);
	close(dump);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_recognised),
	    cmocka_unit_test(test_real_sockets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
