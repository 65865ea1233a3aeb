// SPDX-License-Identifier: GPL-2.0
/* A hostile PF, for tests of the VF driver: fault injection that forges what the PF
 * sends a VF (debugfs simnic_pf/<PF>/vf<N>/forge). A VF driver must not trust its PF
 * any more than the PF trusts it: iavf checks every reply's length and contents and
 * takes no more than it asked for.
 *
 * Writing "KIND [COUNT [OPCODE]]" (COUNT 1 to 1000, 1 by default) forges the next COUNT
 * replies the kind applies to (only those to OPCODE, if given and not 0):
 *   opcode     the reply answers an opcode the VF did not send
 *   short      the reply is cut to half its length
 *   long       the reply is padded with 0xa5 to the mailbox's largest message
 *   status     the reply fails with a status virtchnl does not define
 *   resources  GET_VF_RESOURCES grants 0xffff of everything, every capability bit
 *   vlan_caps  GET_OFFLOAD_VLAN_V2_CAPS offers every ethertype and 0xffff filters
 * or sends, at once, COUNT events:
 *   event      of a kind virtchnl does not define
 *   link_speed a link change to up at a speed no link has (0xfffffff0 Mbps)
 * "none" stops forging. Reading gives the reply kind pending, how many are left and
 * the opcode.
 */
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "simnic_pf.h"

#define SIMNIC_PF_FORGE_MAX		1000
#define SIMNIC_PF_FORGE_OP_SHIFT	1000	/* added to a reply's opcode */
#define SIMNIC_PF_FORGE_STATUS		-1000	/* no enum virtchnl_status_code */
#define SIMNIC_PF_FORGE_EVENT_KIND	1000	/* no enum virtchnl_event_codes */
#define SIMNIC_PF_FORGE_SPEED		0xfffffff0

static const char * const simnic_pf_forge_names[] = {
	[SIMNIC_PF_FORGE_NONE] = "none",
	[SIMNIC_PF_FORGE_OPCODE] = "opcode",
	[SIMNIC_PF_FORGE_SHORT] = "short",
	[SIMNIC_PF_FORGE_LONG] = "long",
	[SIMNIC_PF_FORGE_BAD_STATUS] = "status",
	[SIMNIC_PF_FORGE_RESOURCES] = "resources",
	[SIMNIC_PF_FORGE_VLAN_CAPS] = "vlan_caps",
	[SIMNIC_PF_FORGE_EVENT] = "event",
	[SIMNIC_PF_FORGE_LINK_SPEED] = "link_speed",
};

static void simnic_pf_forge_resources(u8 *buf)
{
	struct virtchnl_vf_resource *res = (void *)buf;

	res->num_vsis = U16_MAX;
	res->num_queue_pairs = U16_MAX;
	res->max_vectors = U16_MAX;
	res->max_mtu = U16_MAX;
	res->vf_cap_flags = U32_MAX;
	res->vsi_res[0].num_queue_pairs = U16_MAX;
}

static void simnic_pf_forge_vlan_caps(u8 *buf)
{
	struct virtchnl_vlan_caps *caps = (void *)buf;

	caps->filtering.filtering_support.outer = U32_MAX;
	caps->filtering.filtering_support.inner = U32_MAX;
	caps->filtering.ethertype_init = U32_MAX;
	caps->filtering.max_filters = U16_MAX;
	caps->offloads.stripping_support.outer = U32_MAX;
	caps->offloads.insertion_support.outer = U32_MAX;
}

/**
 * simnic_pf_forge_reply - forge a reply to @vf, if fault injection says so
 * @vf: the VF
 * @op: the reply's opcode, changed in place
 * @status: its status, changed in place
 * @msg: its payload, which may come to point at *@buf
 * @len: its length, changed in place
 * @buf: set to a forged payload to free after the send, or NULL
 *
 * A payload that cannot be allocated leaves the reply as it is, to be forged next time.
 */
void simnic_pf_forge_reply(struct simnic_pf_vf *vf, u32 *op, s32 *status, const void **msg,
			   u16 *len, u8 **buf)
{
	struct simnic_pf_vf_faults *fl = &vf->faults;
	enum simnic_pf_forge kind = fl->forge;

	lockdep_assert_held(&vf->pf->lock);
	*buf = NULL;
	if (!fl->forge_count || (fl->forge_op && *op != fl->forge_op) ||
	    (kind == SIMNIC_PF_FORGE_RESOURCES && *op != VIRTCHNL_OP_GET_VF_RESOURCES) ||
	    (kind == SIMNIC_PF_FORGE_VLAN_CAPS && *op != VIRTCHNL_OP_GET_OFFLOAD_VLAN_V2_CAPS))
		return;
	if (kind == SIMNIC_PF_FORGE_LONG || kind == SIMNIC_PF_FORGE_RESOURCES ||
	    kind == SIMNIC_PF_FORGE_VLAN_CAPS) {
		*buf = kmalloc(SIMNIC_MBX_MAX_LEN, GFP_KERNEL);
		if (!*buf)
			return;
		memset(*buf, 0xa5, SIMNIC_MBX_MAX_LEN);
		if (*len)
			memcpy(*buf, *msg, *len);
	}
	dev_info(&vf->pf->pdev->dev, "VF %u: fault injection: forging the reply to op %u (%s): %s\n",
		 vf->id, *op, simnic_vc_op_str(*op), simnic_pf_forge_names[kind]);
	fl->forge_count--;
	switch (kind) {
	case SIMNIC_PF_FORGE_OPCODE:
		*op += SIMNIC_PF_FORGE_OP_SHIFT;
		break;
	case SIMNIC_PF_FORGE_SHORT:
		*len /= 2;
		break;
	case SIMNIC_PF_FORGE_LONG:
		*len = SIMNIC_MBX_MAX_LEN;
		break;
	case SIMNIC_PF_FORGE_BAD_STATUS:
		*status = SIMNIC_PF_FORGE_STATUS;
		break;
	case SIMNIC_PF_FORGE_RESOURCES:
		simnic_pf_forge_resources(*buf);
		break;
	case SIMNIC_PF_FORGE_VLAN_CAPS:
		simnic_pf_forge_vlan_caps(*buf);
		break;
	default:
		break;
	}
	if (*buf)
		*msg = *buf;
}

/* Send @count forged events of @kind to @vf now */
static void simnic_pf_forge_events(struct simnic_pf_vf *vf, enum simnic_pf_forge kind,
				   u32 count)
{
	struct virtchnl_pf_event ev = { .severity = PF_EVENT_SEVERITY_INFO };

	lockdep_assert_held(&vf->pf->lock);
	if (kind == SIMNIC_PF_FORGE_EVENT) {
		ev.event = SIMNIC_PF_FORGE_EVENT_KIND;
	} else {
		ev.event = VIRTCHNL_EVENT_LINK_CHANGE;
		ev.event_data.link_event_adv.link_speed = SIMNIC_PF_FORGE_SPEED;
		ev.event_data.link_event_adv.link_status = true;
	}
	dev_info(&vf->pf->pdev->dev, "VF %u: fault injection: sending %u forged events: %s\n",
		 vf->id, count, simnic_pf_forge_names[kind]);
	while (count--)
		simnic_pf_vc_send(vf, VIRTCHNL_OP_EVENT, VIRTCHNL_STATUS_SUCCESS, &ev,
				  sizeof(ev));
}

/**
 * simnic_pf_forge_set - what debugfs forge says, "KIND [COUNT [OPCODE]]"
 * @vf: the VF
 * @buf: the words written, NUL-terminated; changed
 *
 * Return: 0, or -EINVAL for an unknown kind, a count out of 1 to 1000, an opcode that
 * is not a number or more words, with nothing changed.
 */
int simnic_pf_forge_set(struct simnic_pf_vf *vf, char *buf)
{
	char *cur = strim(buf), *word;
	u32 count = 1, op = 0;
	int kind;

	word = strsep(&cur, " \t");
	kind = match_string(simnic_pf_forge_names, ARRAY_SIZE(simnic_pf_forge_names), word);
	if (kind < 0)
		return -EINVAL;
	word = cur ? strsep(&cur, " \t") : NULL;
	if (word && (kstrtou32(word, 0, &count) || !count || count > SIMNIC_PF_FORGE_MAX))
		return -EINVAL;
	word = cur ? strsep(&cur, " \t") : NULL;
	if ((word && kstrtou32(word, 0, &op)) || cur)
		return -EINVAL;

	mutex_lock(&vf->pf->lock);
	if (kind == SIMNIC_PF_FORGE_EVENT || kind == SIMNIC_PF_FORGE_LINK_SPEED) {
		simnic_pf_forge_events(vf, kind, count);
	} else {
		vf->faults.forge = kind;
		vf->faults.forge_count = kind == SIMNIC_PF_FORGE_NONE ? 0 : count;
		vf->faults.forge_op = op;
	}
	mutex_unlock(&vf->pf->lock);
	return 0;
}

/* "KIND COUNT OPCODE": the reply kind pending, the replies left to forge and the
 * opcode they answer (0: any)
 */
void simnic_pf_forge_show(struct simnic_pf_vf *vf, struct seq_file *s)
{
	struct simnic_pf_vf_faults *fl = &vf->faults;

	mutex_lock(&vf->pf->lock);
	seq_printf(s, "%s %u %u\n",
		   simnic_pf_forge_names[fl->forge_count ? fl->forge : SIMNIC_PF_FORGE_NONE],
		   fl->forge_count, fl->forge_count ? fl->forge_op : 0);
	mutex_unlock(&vf->pf->lock);
}
