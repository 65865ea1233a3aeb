// SPDX-License-Identifier: GPL-2.0
/* KUnit: the switch's RSS hash against the verification vectors of Microsoft's RSS
 * specification ("Verifying the RSS Hash Calculation"), which Intel's RSS follows:
 * the key there, each flow hashed over its addresses and ports, and over its
 * addresses alone. Included by simnic_hw_switch.c in the build/kunit modules.
 */
#include <kunit/test.h>
#include <linux/inet.h>

struct simnic_hw_test_flow {
	const char *src, *dst;
	u16 sport, dport;
	u32 hash_ports;		/* addresses and ports */
	u32 hash_addrs;		/* addresses alone */
};

static const struct simnic_hw_test_flow simnic_hw_test_v4[] = {
	{ "66.9.149.187", "161.142.100.80", 2794, 1766, 0x51ccc178, 0x323e8fc2 },
	{ "199.92.111.2", "65.69.140.83", 14230, 4739, 0xc626b0ea, 0xd718262a },
	{ "24.19.198.95", "12.22.207.184", 12898, 38024, 0x5c2b394a, 0xd2d0a5de },
	{ "38.27.205.30", "209.142.163.6", 48228, 2217, 0xafc7327f, 0x82989176 },
	{ "153.39.163.191", "202.188.127.2", 44251, 1303, 0x10e828a2, 0x5d1809c5 },
};

static const struct simnic_hw_test_flow simnic_hw_test_v6[] = {
	{ "3ffe:2501:200:1fff::7", "3ffe:2501:200:3::1", 2794, 1766,
	  0x40207d3d, 0x2cc18cd5 },
	{ "3ffe:501:8::260:97ff:fe40:efab", "ff02::1", 14230, 4739,
	  0xdde51bbf, 0x0f0c461c },
	{ "3ffe:1900:4545:3:200:f8ff:fe21:67cf", "fe80::200:f8ff:fe21:67cf", 44251, 38024,
	  0x02d1feef, 0x4b61e985 },
};

/* The specification's 40-byte key, in the device's 52 */
static const u8 simnic_hw_test_key[SIMNIC_RSS_KEY_SIZE] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
	0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
	0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
	0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

/* The hash input of @flow as simnic_sw_flow() lays it out: source and destination
 * address, then source and destination port, in network order
 */
static unsigned int simnic_hw_test_tuple(struct kunit *test, u8 *tuple, bool v6,
					 const struct simnic_hw_test_flow *flow)
{
	unsigned int alen = v6 ? 16 : 4;
	__be16 ports[2] = { htons(flow->sport), htons(flow->dport) };
	bool ok;

	ok = v6 ? in6_pton(flow->src, -1, tuple, -1, NULL) &&
		  in6_pton(flow->dst, -1, tuple + alen, -1, NULL) :
		  in4_pton(flow->src, -1, tuple, -1, NULL) &&
		  in4_pton(flow->dst, -1, tuple + alen, -1, NULL);
	KUNIT_ASSERT_TRUE_MSG(test, ok, "%s -> %s", flow->src, flow->dst);
	memcpy(tuple + 2 * alen, ports, sizeof(ports));
	return 2 * alen + sizeof(ports);
}

static void simnic_hw_test_flows(struct kunit *test, bool v6,
				 const struct simnic_hw_test_flow *flows, unsigned int n)
{
	u8 tuple[sizeof_field(struct simnic_sw_frame, tuple)];
	unsigned int i, len;

	for (i = 0; i < n; i++) {
		len = simnic_hw_test_tuple(test, tuple, v6, &flows[i]);
		KUNIT_EXPECT_EQ_MSG(test, simnic_sw_toeplitz(simnic_hw_test_key, tuple, len),
				    flows[i].hash_ports, "%s -> %s with ports", flows[i].src,
				    flows[i].dst);
		KUNIT_EXPECT_EQ_MSG(test, simnic_sw_toeplitz(simnic_hw_test_key, tuple,
							     len - 4),
				    flows[i].hash_addrs, "%s -> %s", flows[i].src,
				    flows[i].dst);
	}
}

static void simnic_hw_rss_ipv4(struct kunit *test)
{
	simnic_hw_test_flows(test, false, simnic_hw_test_v4, ARRAY_SIZE(simnic_hw_test_v4));
}

static void simnic_hw_rss_ipv6(struct kunit *test)
{
	simnic_hw_test_flows(test, true, simnic_hw_test_v6, ARRAY_SIZE(simnic_hw_test_v6));
}

/* No input bit set, no key bit taken */
static void simnic_hw_rss_zero(struct kunit *test)
{
	u8 tuple[sizeof_field(struct simnic_sw_frame, tuple)] = {};

	KUNIT_EXPECT_EQ(test, simnic_sw_toeplitz(simnic_hw_test_key, tuple, sizeof(tuple)),
			0);
}

static struct kunit_case simnic_hw_rss_cases[] = {
	KUNIT_CASE(simnic_hw_rss_ipv4),
	KUNIT_CASE(simnic_hw_rss_ipv6),
	KUNIT_CASE(simnic_hw_rss_zero),
	{}
};

static struct kunit_suite simnic_hw_rss_suite = {
	.name = "simnic_hw_rss",
	.test_cases = simnic_hw_rss_cases,
};

kunit_test_suites(&simnic_hw_rss_suite);
