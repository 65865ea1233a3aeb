// SPDX-License-Identifier: GPL-2.0
/* KUnit tests of simnic_pf_virtchnl.c, #included at its end with CONFIG_SIMNIC_KUNIT_TEST
 * (make modules-kunit: the debug kernel): the per-VF opcode allowlist, the field checks
 * of the queue messages, and the mailbox flood accounting.
 */
#include "simnic_pf_test.h"

/* --- the allowlist --------------------------------------------------------------- */

static void simnic_pf_test_allowlist(struct simnic_pf_vf *vf,
				     enum simnic_pf_vf_state state, u32 caps)
{
	vf->state = state;
	vf->caps = caps;
	mutex_lock(&vf->pf->lock);
	simnic_pf_vc_allowlist_set(vf);
	mutex_unlock(&vf->pf->lock);
}

/* @vf may send exactly the @n opcodes of @ops */
static void simnic_pf_test_expect_ops(struct kunit *test, struct simnic_pf_vf *vf,
				      const u32 *ops, unsigned int n)
{
	unsigned int i;

	KUNIT_EXPECT_EQ(test, bitmap_weight(vf->allowed_ops, VIRTCHNL_OP_MAX), n);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_TRUE_MSG(test, test_bit(ops[i], vf->allowed_ops),
				      "opcode %u (%s) not allowed", ops[i],
				      simnic_vc_op_str(ops[i]));
}

static const u32 simnic_pf_test_ops_active[] = {
	VIRTCHNL_OP_VERSION, VIRTCHNL_OP_RESET_VF, VIRTCHNL_OP_GET_VF_RESOURCES,
	VIRTCHNL_OP_CONFIG_VSI_QUEUES, VIRTCHNL_OP_CONFIG_IRQ_MAP,
	VIRTCHNL_OP_ENABLE_QUEUES, VIRTCHNL_OP_DISABLE_QUEUES, VIRTCHNL_OP_GET_STATS,
};

static void simnic_pf_allowlist_reset(struct kunit *test)
{
	static const u32 ops[] = { VIRTCHNL_OP_VERSION, VIRTCHNL_OP_RESET_VF };
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);

	/* capabilities of a previous negotiation grant nothing before VERSION */
	simnic_pf_test_allowlist(vf, SIMNIC_PF_VF_STATE_RESET, SIMNIC_PF_CAPS);
	simnic_pf_test_expect_ops(test, vf, ops, ARRAY_SIZE(ops));
}

static void simnic_pf_allowlist_version(struct kunit *test)
{
	static const u32 ops[] = {
		VIRTCHNL_OP_VERSION, VIRTCHNL_OP_RESET_VF, VIRTCHNL_OP_GET_VF_RESOURCES,
	};
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);

	simnic_pf_test_allowlist(vf, SIMNIC_PF_VF_STATE_VERSION, SIMNIC_PF_CAPS);
	simnic_pf_test_expect_ops(test, vf, ops, ARRAY_SIZE(ops));
}

static void simnic_pf_allowlist_active_no_caps(struct kunit *test)
{
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);

	simnic_pf_test_allowlist(vf, SIMNIC_PF_VF_STATE_ACTIVE, 0);
	simnic_pf_test_expect_ops(test, vf, simnic_pf_test_ops_active,
				  ARRAY_SIZE(simnic_pf_test_ops_active));
}

static void simnic_pf_allowlist_active_vlan_v1(struct kunit *test)
{
	static const u32 ops[] = {
		VIRTCHNL_OP_VERSION, VIRTCHNL_OP_RESET_VF, VIRTCHNL_OP_GET_VF_RESOURCES,
		VIRTCHNL_OP_CONFIG_VSI_QUEUES, VIRTCHNL_OP_CONFIG_IRQ_MAP,
		VIRTCHNL_OP_ENABLE_QUEUES, VIRTCHNL_OP_DISABLE_QUEUES, VIRTCHNL_OP_GET_STATS,
		VIRTCHNL_OP_ADD_ETH_ADDR, VIRTCHNL_OP_DEL_ETH_ADDR,
		VIRTCHNL_OP_CONFIG_PROMISCUOUS_MODE,
		VIRTCHNL_OP_ADD_VLAN, VIRTCHNL_OP_DEL_VLAN,
	};
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);

	simnic_pf_test_allowlist(vf, SIMNIC_PF_VF_STATE_ACTIVE,
				 VIRTCHNL_VF_OFFLOAD_L2 | VIRTCHNL_VF_OFFLOAD_VLAN);
	simnic_pf_test_expect_ops(test, vf, ops, ARRAY_SIZE(ops));
}

static void simnic_pf_allowlist_active_vlan_v2(struct kunit *test)
{
	static const u32 ops[] = {
		VIRTCHNL_OP_VERSION, VIRTCHNL_OP_RESET_VF, VIRTCHNL_OP_GET_VF_RESOURCES,
		VIRTCHNL_OP_CONFIG_VSI_QUEUES, VIRTCHNL_OP_CONFIG_IRQ_MAP,
		VIRTCHNL_OP_ENABLE_QUEUES, VIRTCHNL_OP_DISABLE_QUEUES, VIRTCHNL_OP_GET_STATS,
		VIRTCHNL_OP_ADD_ETH_ADDR, VIRTCHNL_OP_DEL_ETH_ADDR,
		VIRTCHNL_OP_CONFIG_PROMISCUOUS_MODE,
		VIRTCHNL_OP_GET_OFFLOAD_VLAN_V2_CAPS, VIRTCHNL_OP_ADD_VLAN_V2,
		VIRTCHNL_OP_DEL_VLAN_V2,
		VIRTCHNL_OP_ENABLE_VLAN_STRIPPING_V2, VIRTCHNL_OP_DISABLE_VLAN_STRIPPING_V2,
		VIRTCHNL_OP_ENABLE_VLAN_INSERTION_V2, VIRTCHNL_OP_DISABLE_VLAN_INSERTION_V2,
	};
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);

	simnic_pf_test_allowlist(vf, SIMNIC_PF_VF_STATE_ACTIVE,
				 VIRTCHNL_VF_OFFLOAD_L2 | VIRTCHNL_VF_OFFLOAD_VLAN_V2);
	simnic_pf_test_expect_ops(test, vf, ops, ARRAY_SIZE(ops));
	KUNIT_EXPECT_FALSE(test, test_bit(VIRTCHNL_OP_ADD_VLAN, vf->allowed_ops));
}

/* Capabilities the PF does not offer open no opcode, even if the VF claims them */
static void simnic_pf_allowlist_unknown_caps(struct kunit *test)
{
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);

	simnic_pf_test_allowlist(vf, SIMNIC_PF_VF_STATE_ACTIVE,
				 VIRTCHNL_VF_OFFLOAD_REQ_QUEUES | VIRTCHNL_VF_OFFLOAD_RSS_REG);
	simnic_pf_test_expect_ops(test, vf, simnic_pf_test_ops_active,
				  ARRAY_SIZE(simnic_pf_test_ops_active));
	KUNIT_EXPECT_FALSE(test, test_bit(VIRTCHNL_OP_CONFIG_RSS_KEY, vf->allowed_ops));
	KUNIT_EXPECT_FALSE(test, test_bit(VIRTCHNL_OP_REQUEST_QUEUES, vf->allowed_ops));
}

/* RSS_PF opens the key and the table, and nothing of the hash enable bits */
static void simnic_pf_allowlist_rss(struct kunit *test)
{
	static const u32 ops[] = {
		VIRTCHNL_OP_VERSION, VIRTCHNL_OP_RESET_VF, VIRTCHNL_OP_GET_VF_RESOURCES,
		VIRTCHNL_OP_CONFIG_VSI_QUEUES, VIRTCHNL_OP_CONFIG_IRQ_MAP,
		VIRTCHNL_OP_ENABLE_QUEUES, VIRTCHNL_OP_DISABLE_QUEUES, VIRTCHNL_OP_GET_STATS,
		VIRTCHNL_OP_CONFIG_RSS_KEY, VIRTCHNL_OP_CONFIG_RSS_LUT,
	};
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);

	simnic_pf_test_allowlist(vf, SIMNIC_PF_VF_STATE_ACTIVE, VIRTCHNL_VF_OFFLOAD_RSS_PF);
	simnic_pf_test_expect_ops(test, vf, ops, ARRAY_SIZE(ops));
	KUNIT_EXPECT_FALSE(test, test_bit(VIRTCHNL_OP_SET_RSS_HENA, vf->allowed_ops));
}

/* A reset the VF asked for, not yet rebuilt: RESET_VF only, whatever was negotiated */
static void simnic_pf_allowlist_reset_pending(struct kunit *test)
{
	static const u32 ops[] = { VIRTCHNL_OP_RESET_VF };
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);

	vf->reset_pending = true;
	simnic_pf_test_allowlist(vf, SIMNIC_PF_VF_STATE_ACTIVE, SIMNIC_PF_CAPS);
	simnic_pf_test_expect_ops(test, vf, ops, ARRAY_SIZE(ops));
}

/* Going back to RESET takes away what ACTIVE allowed: the list is recomputed whole */
static void simnic_pf_allowlist_shrinks(struct kunit *test)
{
	static const u32 ops[] = { VIRTCHNL_OP_VERSION, VIRTCHNL_OP_RESET_VF };
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);

	simnic_pf_test_allowlist(vf, SIMNIC_PF_VF_STATE_ACTIVE, SIMNIC_PF_CAPS);
	KUNIT_EXPECT_TRUE(test, test_bit(VIRTCHNL_OP_ADD_ETH_ADDR, vf->allowed_ops));
	simnic_pf_test_allowlist(vf, SIMNIC_PF_VF_STATE_RESET, 0);
	simnic_pf_test_expect_ops(test, vf, ops, ARRAY_SIZE(ops));
}

static struct kunit_case simnic_pf_allowlist_cases[] = {
	KUNIT_CASE(simnic_pf_allowlist_reset),
	KUNIT_CASE(simnic_pf_allowlist_version),
	KUNIT_CASE(simnic_pf_allowlist_active_no_caps),
	KUNIT_CASE(simnic_pf_allowlist_active_vlan_v1),
	KUNIT_CASE(simnic_pf_allowlist_active_vlan_v2),
	KUNIT_CASE(simnic_pf_allowlist_unknown_caps),
	KUNIT_CASE(simnic_pf_allowlist_rss),
	KUNIT_CASE(simnic_pf_allowlist_reset_pending),
	KUNIT_CASE(simnic_pf_allowlist_shrinks),
	{}
};

static struct kunit_suite simnic_pf_allowlist_suite = {
	.name = "simnic_pf_allowlist",
	.test_cases = simnic_pf_allowlist_cases,
};

/* --- the queue messages ------------------------------------------------------------
 * Only the checks: a message that passes them would program the device, which these
 * tests do not have, but for CONFIG_VSI_QUEUES and IRQ maps that touch no queue.
 */

/* A CONFIG_VSI_QUEUES message of @n valid queue pairs, in a mailbox-sized buffer */
static struct virtchnl_vsi_queue_config_info *
simnic_pf_test_qci(struct kunit *test, u16 n)
{
	struct virtchnl_vsi_queue_config_info *qci;
	u16 i;

	qci = kunit_kzalloc(test, SIMNIC_MBX_MAX_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, qci);
	qci->vsi_id = SIMNIC_PF_TEST_VSI;
	qci->num_queue_pairs = n;
	for (i = 0; i < n; i++) {
		qci->qpair[i].txq.vsi_id = SIMNIC_PF_TEST_VSI;
		qci->qpair[i].txq.queue_id = i;
		qci->qpair[i].txq.ring_len = 512;
		qci->qpair[i].rxq.vsi_id = SIMNIC_PF_TEST_VSI;
		qci->qpair[i].rxq.queue_id = i;
		qci->qpair[i].rxq.ring_len = 512;
		qci->qpair[i].rxq.max_pkt_size = 1518;
	}
	return qci;
}

/* The handlers, as the service task calls them: under pf->lock */
static enum virtchnl_status_code
simnic_pf_test_config_queues(struct simnic_pf_vf *vf, struct virtchnl_vsi_queue_config_info *qci)
{
	enum virtchnl_status_code st;

	mutex_lock(&vf->pf->lock);
	st = simnic_pf_vc_config_queues(vf, (u8 *)qci);
	mutex_unlock(&vf->pf->lock);
	return st;
}

static enum virtchnl_status_code
simnic_pf_test_queues(struct simnic_pf_vf *vf, struct virtchnl_queue_select *qs, bool enable)
{
	enum virtchnl_status_code st;

	mutex_lock(&vf->pf->lock);
	st = simnic_pf_vc_queues(vf, (u8 *)qs, enable);
	mutex_unlock(&vf->pf->lock);
	return st;
}

static void simnic_pf_vc_queues_config_ok(struct kunit *test)
{
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);
	struct virtchnl_vsi_queue_config_info *qci = simnic_pf_test_qci(test, 4);

	/* the bounds themselves are valid */
	qci->qpair[0].rxq.ring_len = SIMNIC_RING_MIN;
	qci->qpair[3].rxq.ring_len = SIMNIC_RING_MAX;
	qci->qpair[3].rxq.max_pkt_size = SIMNIC_MAX_FRAME;
	qci->qpair[0].txq.ring_len = SIMNIC_RING_MAX;
	qci->qpair[3].txq.ring_len = SIMNIC_RING_MIN;
	qci->qpair[1].rxq.databuffer_size = SIMNIC_PF_RX_BUF_MIN;
	qci->qpair[2].rxq.databuffer_size = SIMNIC_PF_RX_BUF_MAX;
	KUNIT_EXPECT_EQ(test, simnic_pf_test_config_queues(vf, qci),
			VIRTCHNL_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, vf->ring_len[0], SIMNIC_RING_MIN);
	KUNIT_EXPECT_EQ(test, vf->ring_len[1], 512);
	KUNIT_EXPECT_EQ(test, vf->ring_len[3], SIMNIC_RING_MAX);
	KUNIT_EXPECT_EQ(test, vf->ring_len[4], 0);
	KUNIT_EXPECT_EQ(test, vf->tx_ring_len[0], SIMNIC_RING_MAX);
	KUNIT_EXPECT_EQ(test, vf->tx_ring_len[1], 512);
	KUNIT_EXPECT_EQ(test, vf->tx_ring_len[3], SIMNIC_RING_MIN);
	KUNIT_EXPECT_EQ(test, vf->rx_gso, 0);
}

/* Whole GSO frames on a queue whose buffers hold one, only for a VF granted them */
static void simnic_pf_vc_queues_config_gso(struct kunit *test)
{
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);
	struct virtchnl_vsi_queue_config_info *qci = simnic_pf_test_qci(test, 4);

	qci->qpair[1].rxq.databuffer_size = SIMNIC_VC_RX_GSO_BUF;
	KUNIT_EXPECT_EQ(test, simnic_pf_test_config_queues(vf, qci),
			VIRTCHNL_STATUS_ERR_PARAM);
	KUNIT_EXPECT_EQ(test, vf->ring_len[0], 0);
	vf->caps |= SIMNIC_VF_OFFLOAD_RX_GSO;
	KUNIT_EXPECT_EQ(test, simnic_pf_test_config_queues(vf, qci),
			VIRTCHNL_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, vf->rx_gso, BIT(1));
}

/* Each bad field of the last pair refuses the message, and no ring is configured */
static void simnic_pf_vc_queues_config_bad(struct kunit *test)
{
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);
	struct virtchnl_vsi_queue_config_info *qci;
	struct virtchnl_queue_pair_info *last;
	unsigned int i;

	for (i = 0; i < 12; i++) {
		qci = simnic_pf_test_qci(test, 4);
		last = &qci->qpair[3];
		switch (i) {
		case 0:
			last->rxq.ring_len = SIMNIC_RING_MIN - 1;
			break;
		case 1:
			last->rxq.ring_len = SIMNIC_RING_MAX + 1;
			break;
		case 2:
			last->rxq.max_pkt_size = SIMNIC_MAX_FRAME + 1;
			break;
		case 3:
			last->txq.queue_id = 2;
			break;
		case 4:
			last->rxq.queue_id = 4;
			break;
		case 5:
			last->txq.vsi_id = SIMNIC_PF_TEST_VSI + 1;
			break;
		case 6:
			last->rxq.vsi_id = SIMNIC_PF_TEST_VSI - 1;
			break;
		case 7:
			qci->vsi_id = SIMNIC_PF_TEST_VSI - 1;	/* the VF's own id, not its VSI */
			break;
		case 8:
			last->rxq.databuffer_size = SIMNIC_PF_RX_BUF_MIN - 1;
			break;
		case 9:
			last->rxq.databuffer_size = SIMNIC_PF_RX_BUF_MAX + 1;
			break;
		case 10:
			last->txq.ring_len = SIMNIC_RING_MIN - 1;
			break;
		case 11:
			last->txq.ring_len = SIMNIC_RING_MAX + 1;
			break;
		}
		KUNIT_EXPECT_EQ_MSG(test, simnic_pf_test_config_queues(vf, qci),
				    VIRTCHNL_STATUS_ERR_PARAM, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, vf->ring_len[0], 0, "case %u", i);
	}
}

/* More pairs than the VF was given, even with valid fields for all */
static void simnic_pf_vc_queues_config_too_many(struct kunit *test)
{
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);

	KUNIT_EXPECT_EQ(test, simnic_pf_test_config_queues(vf, simnic_pf_test_qci(test, 5)),
			VIRTCHNL_STATUS_ERR_PARAM);
	KUNIT_EXPECT_EQ(test, vf->ring_len[0], 0);
	KUNIT_EXPECT_EQ(test, simnic_pf_test_config_queues(vf, simnic_pf_test_qci(test, 3)),
			VIRTCHNL_STATUS_SUCCESS);
}

static enum virtchnl_status_code
simnic_pf_test_irq_map(struct kunit *test, struct simnic_pf_vf *vf, u16 vsi, u16 vector,
		       u16 rxq_map, u16 txq_map)
{
	struct virtchnl_irq_map_info *imi;
	enum virtchnl_status_code st;

	imi = kunit_kzalloc(test, SIMNIC_MBX_MAX_LEN, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, imi);
	if (!imi)
		return VIRTCHNL_STATUS_ERR_NO_MEMORY;
	imi->num_vectors = 2;
	imi->vecmap[0].vsi_id = SIMNIC_PF_TEST_VSI;
	imi->vecmap[0].vector_id = 1;
	imi->vecmap[1].vsi_id = vsi;
	imi->vecmap[1].vector_id = vector;
	imi->vecmap[1].rxq_map = rxq_map;
	imi->vecmap[1].txq_map = txq_map;
	mutex_lock(&vf->pf->lock);
	st = simnic_pf_vc_config_irq_map(vf, (u8 *)imi);
	mutex_unlock(&vf->pf->lock);
	return st;
}

static void simnic_pf_vc_queues_irq_map(struct kunit *test)
{
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);

	/* vector 0 is the misc vector; 1..num_qps serve the queues */
	KUNIT_EXPECT_EQ(test, simnic_pf_test_irq_map(test, vf, SIMNIC_PF_TEST_VSI, 4, 0, 0),
			VIRTCHNL_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, simnic_pf_test_irq_map(test, vf, SIMNIC_PF_TEST_VSI, 5, 0, 0),
			VIRTCHNL_STATUS_ERR_PARAM);
	KUNIT_EXPECT_EQ(test, simnic_pf_test_irq_map(test, vf, SIMNIC_PF_TEST_VSI, 4, 0, BIT(4)),
			VIRTCHNL_STATUS_ERR_PARAM);
	KUNIT_EXPECT_EQ(test, simnic_pf_test_irq_map(test, vf, SIMNIC_PF_TEST_VSI, 4, BIT(4), 0),
			VIRTCHNL_STATUS_ERR_PARAM);
	KUNIT_EXPECT_EQ(test, simnic_pf_test_irq_map(test, vf, SIMNIC_PF_TEST_VSI, 4, 0,
						     BIT(15)),
			VIRTCHNL_STATUS_ERR_PARAM);
	KUNIT_EXPECT_EQ(test, simnic_pf_test_irq_map(test, vf, SIMNIC_PF_TEST_VSI + 1, 4, 0, 0),
			VIRTCHNL_STATUS_ERR_PARAM);
	/* an rx or tx queue CONFIG_VSI_QUEUES did not configure */
	KUNIT_EXPECT_EQ(test, simnic_pf_test_irq_map(test, vf, SIMNIC_PF_TEST_VSI, 2, BIT(1), 0),
			VIRTCHNL_STATUS_ERR_PARAM);
	KUNIT_EXPECT_EQ(test, simnic_pf_test_irq_map(test, vf, SIMNIC_PF_TEST_VSI, 4, 0, BIT(3)),
			VIRTCHNL_STATUS_ERR_PARAM);
}

static void simnic_pf_vc_queues_select(struct kunit *test)
{
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);
	struct virtchnl_queue_select qs = { .vsi_id = SIMNIC_PF_TEST_VSI };
	unsigned int i;
	static const struct {
		u16 vsi;
		u32 rx, tx;
	} bad[] = {
		{ SIMNIC_PF_TEST_VSI, 0, 0 },		/* no queue */
		{ SIMNIC_PF_TEST_VSI, BIT(4), 0 },	/* one past the VF's */
		{ SIMNIC_PF_TEST_VSI, 0, BIT(4) },
		{ SIMNIC_PF_TEST_VSI, BIT(0), BIT(31) },
		{ SIMNIC_PF_TEST_VSI + 1, BIT(0), BIT(0) },
		{ 0, BIT(0), BIT(0) },
	};

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		qs.vsi_id = bad[i].vsi;
		qs.rx_queues = bad[i].rx;
		qs.tx_queues = bad[i].tx;
		KUNIT_EXPECT_EQ_MSG(test, simnic_pf_test_queues(vf, &qs, true),
				    VIRTCHNL_STATUS_ERR_PARAM, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, simnic_pf_test_queues(vf, &qs, false),
				    VIRTCHNL_STATUS_ERR_PARAM, "case %u", i);
	}
}

static struct kunit_case simnic_pf_vc_queues_cases[] = {
	KUNIT_CASE(simnic_pf_vc_queues_config_ok),
	KUNIT_CASE(simnic_pf_vc_queues_config_bad),
	KUNIT_CASE(simnic_pf_vc_queues_config_gso),
	KUNIT_CASE(simnic_pf_vc_queues_config_too_many),
	KUNIT_CASE(simnic_pf_vc_queues_irq_map),
	KUNIT_CASE(simnic_pf_vc_queues_select),
	{}
};

static struct kunit_suite simnic_pf_vc_queues_suite = {
	.name = "simnic_pf_vc_queues",
	.test_cases = simnic_pf_vc_queues_cases,
};

/* --- mailbox flood accounting ------------------------------------------------------ */

/* Account @n messages (pf->msg) with @queued behind each; returns how many were to be
 * dropped
 */
static unsigned int simnic_pf_test_account(struct simnic_pf_vf *vf, unsigned int n,
					   unsigned int queued)
{
	unsigned int dropped = 0;

	mutex_lock(&vf->pf->lock);
	while (n--)
		dropped += simnic_pf_mbx_account(vf, vf->pf->msg, queued);
	mutex_unlock(&vf->pf->lock);
	return dropped;
}

/* A VF that waits for each reply is never limited, however many it sends */
static void simnic_pf_mbx_calm(struct kunit *test)
{
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);

	KUNIT_EXPECT_EQ(test, simnic_pf_test_account(vf, 4 * SIMNIC_PF_MBX_FLOOD_MSGS, 0), 0);
	KUNIT_EXPECT_FALSE(test, vf->mbx.limited);
	KUNIT_EXPECT_FALSE(test, vf->mbx_offender);
	KUNIT_EXPECT_EQ(test, vf->mbx.received, 4 * SIMNIC_PF_MBX_FLOOD_MSGS);
	KUNIT_EXPECT_EQ(test, vf->mbx.floods, 0);
	KUNIT_EXPECT_EQ(test, vf->mbx.max_queued, 0);
}

/* SIMNIC_PF_MBX_FLOOD_MSGS queued in a window are allowed; one more is a flood */
static void simnic_pf_mbx_threshold(struct kunit *test)
{
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);
	struct simnic_pf_vf_mbx *mbx = &vf->mbx;

	KUNIT_EXPECT_EQ(test, simnic_pf_test_account(vf, SIMNIC_PF_MBX_FLOOD_MSGS, 5), 0);
	KUNIT_EXPECT_FALSE(test, mbx->limited);
	KUNIT_EXPECT_EQ(test, mbx->window_queued, SIMNIC_PF_MBX_FLOOD_MSGS);
	/* messages with none behind them do not count towards a flood */
	KUNIT_EXPECT_EQ(test, simnic_pf_test_account(vf, 3, 0), 0);
	KUNIT_EXPECT_FALSE(test, mbx->limited);

	KUNIT_EXPECT_EQ(test, simnic_pf_test_account(vf, 1, 5), 1);
	KUNIT_EXPECT_TRUE(test, mbx->limited);
	KUNIT_EXPECT_EQ(test, mbx->floods, 1);
	KUNIT_EXPECT_EQ(test, mbx->flood_dropped, 1);
	KUNIT_EXPECT_EQ(test, mbx->limit_dropped, 0);
	/* the flood is an error of the "mailbox" health reporter, with its message */
	KUNIT_EXPECT_TRUE(test, vf->mbx_offender);
	KUNIT_EXPECT_EQ(test, vf->pf->health.by_kind[SIMNIC_PF_HEALTH_FLOOD], 1);
	KUNIT_EXPECT_EQ(test, vf->pf->health.trigger.opcode, VIRTCHNL_OP_GET_STATS);
	KUNIT_EXPECT_EQ(test, mbx->limit_last, mbx->limit_start);
	mutex_lock(&vf->pf->lock);
	KUNIT_EXPECT_EQ(test, simnic_pf_mbx_limit_end(vf) - mbx->limit_start,
			msecs_to_jiffies(SIMNIC_PF_MBX_PENALTY_MS));
	mutex_unlock(&vf->pf->lock);
	KUNIT_EXPECT_EQ(test, mbx->peak, SIMNIC_PF_MBX_FLOOD_MSGS + 4);
	KUNIT_EXPECT_EQ(test, mbx->max_queued, 5);
	KUNIT_EXPECT_EQ(test, mbx->received, SIMNIC_PF_MBX_FLOOD_MSGS + 4);
	/* the flood begins a new window */
	KUNIT_EXPECT_EQ(test, mbx->window_msgs, 0);
	KUNIT_EXPECT_EQ(test, mbx->window_queued, 0);
}

/* A window that has run out starts the count again */
static void simnic_pf_mbx_window(struct kunit *test)
{
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);
	struct simnic_pf_vf_mbx *mbx = &vf->mbx;

	KUNIT_EXPECT_EQ(test, simnic_pf_test_account(vf, SIMNIC_PF_MBX_FLOOD_MSGS, 1), 0);
	/* half a window later: still the same window */
	mbx->window_start -= msecs_to_jiffies(SIMNIC_PF_MBX_WINDOW_MS / 2);
	KUNIT_EXPECT_EQ(test, simnic_pf_test_account(vf, 1, 1), 1);
	KUNIT_EXPECT_TRUE(test, mbx->limited);

	vf = simnic_pf_test_vf(test);
	mbx = &vf->mbx;
	KUNIT_EXPECT_EQ(test, simnic_pf_test_account(vf, SIMNIC_PF_MBX_FLOOD_MSGS, 1), 0);
	/* a whole window later, to the jiffy: a new one */
	mbx->window_start = jiffies - msecs_to_jiffies(SIMNIC_PF_MBX_WINDOW_MS);
	KUNIT_EXPECT_EQ(test, simnic_pf_test_account(vf, SIMNIC_PF_MBX_FLOOD_MSGS, 1), 0);
	KUNIT_EXPECT_FALSE(test, mbx->limited);
	KUNIT_EXPECT_EQ(test, mbx->window_msgs, SIMNIC_PF_MBX_FLOOD_MSGS);
	KUNIT_EXPECT_EQ(test, mbx->peak, SIMNIC_PF_MBX_FLOOD_MSGS);
}

/* Limited: every message is dropped; only those queued behind another extend it */
static void simnic_pf_mbx_penalty(struct kunit *test)
{
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);
	struct simnic_pf_vf_mbx *mbx = &vf->mbx;
	unsigned long last;

	KUNIT_EXPECT_EQ(test, simnic_pf_test_account(vf, SIMNIC_PF_MBX_FLOOD_MSGS + 1, 2), 1);
	KUNIT_ASSERT_TRUE(test, mbx->limited);

	last = jiffies - 10;
	mbx->limit_last = last;
	KUNIT_EXPECT_EQ(test, simnic_pf_test_account(vf, 3, 0), 3);
	KUNIT_EXPECT_EQ(test, mbx->limit_last, last);
	KUNIT_EXPECT_EQ(test, simnic_pf_test_account(vf, 1, 1), 1);
	KUNIT_EXPECT_TRUE(test, time_after(mbx->limit_last, last));
	KUNIT_EXPECT_EQ(test, mbx->flood_dropped, 5);
	/* one flood, however long it lasts */
	KUNIT_EXPECT_EQ(test, mbx->floods, 1);

	/* the penalty still running: limit_check keeps the VF limited */
	mutex_lock(&vf->pf->lock);
	simnic_pf_mbx_limit_check(vf);
	mutex_unlock(&vf->pf->lock);
	KUNIT_EXPECT_TRUE(test, mbx->limited);
}

/* The penalty runs from the last queued message, with the PF's penalty as it is now */
static void simnic_pf_mbx_penalty_changed(struct kunit *test)
{
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);
	struct simnic_pf *pf = vf->pf;

	KUNIT_EXPECT_EQ(test, simnic_pf_test_account(vf, SIMNIC_PF_MBX_FLOOD_MSGS + 1, 2), 1);
	KUNIT_ASSERT_TRUE(test, vf->mbx.limited);
	vf->mbx.limit_last = jiffies - msecs_to_jiffies(500);

	mutex_lock(&pf->lock);
	KUNIT_EXPECT_TRUE(test, time_after(simnic_pf_mbx_limit_end(vf), jiffies));
	pf->mbx_penalty_ms = 100;
	KUNIT_EXPECT_FALSE(test, time_after(simnic_pf_mbx_limit_end(vf), jiffies));
	mutex_unlock(&pf->lock);

	/* out of range: refused, nothing changes */
	KUNIT_EXPECT_EQ(test, simnic_pf_mbx_penalty_set(pf, SIMNIC_PF_MBX_PENALTY_MAX_MS + 1),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, pf->mbx_penalty_ms, 100);
	KUNIT_EXPECT_EQ(test, simnic_pf_mbx_penalty_set(pf, U64_MAX), -ERANGE);
	KUNIT_EXPECT_EQ(test, pf->mbx_penalty_ms, 100);
}

/* Every refusal path has a name of its own and answers as ice does: a bad parameter,
 * no room, or not supported
 */
static void simnic_pf_mbx_refusal_paths(struct kunit *test)
{
	struct simnic_pf_vf *vf = simnic_pf_test_vf(test);
	enum virtchnl_status_code st;
	unsigned int i, j;

	for (i = 0; i < SIMNIC_PF_REFUSE_NUM; i++) {
		KUNIT_ASSERT_NOT_NULL_MSG(test, simnic_pf_refusal_name(i), "path %u", i);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_STRNEQ(test, simnic_pf_refusal_name(i),
					    simnic_pf_refusal_name(j));
		mutex_lock(&vf->pf->lock);
		st = simnic_pf_vc_refuse(vf, i);
		mutex_unlock(&vf->pf->lock);
		KUNIT_EXPECT_TRUE_MSG(test, st == VIRTCHNL_STATUS_ERR_PARAM ||
				      st == VIRTCHNL_STATUS_ERR_NO_MEMORY ||
				      st == VIRTCHNL_STATUS_ERR_NOT_SUPPORTED,
				      "%s: status %d", simnic_pf_refusal_name(i), st);
		KUNIT_EXPECT_EQ(test, vf->mbx.refusals[i], 1);
	}
}

static struct kunit_case simnic_pf_mbx_cases[] = {
	KUNIT_CASE(simnic_pf_mbx_calm),
	KUNIT_CASE(simnic_pf_mbx_threshold),
	KUNIT_CASE(simnic_pf_mbx_window),
	KUNIT_CASE(simnic_pf_mbx_penalty),
	KUNIT_CASE(simnic_pf_mbx_penalty_changed),
	KUNIT_CASE(simnic_pf_mbx_refusal_paths),
	{}
};

static struct kunit_suite simnic_pf_mbx_suite = {
	.name = "simnic_pf_mbx",
	.test_cases = simnic_pf_mbx_cases,
};

kunit_test_suites(&simnic_pf_allowlist_suite, &simnic_pf_vc_queues_suite,
		  &simnic_pf_mbx_suite);
