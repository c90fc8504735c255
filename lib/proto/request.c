// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Node_Host_Request: a configuration change asked on a slave, carried out
 * by the master (only it writes the COD).
 *
 *   slave   RC_HOST_REQUEST -> Node_Host_Request to the master it follows,
 *           an op that waits for the answer (3 reply timeouts: the master
 *           runs figure 15 and writes the COD before it answers); the
 *           answer's payload is the COMPLETE's buf.  No master in nexus,
 *           the master changed or left, or no answer: BUSY.  A master
 *           busy with another node's request answers BUSY: asked again
 *           every reserve_retry_ms until the deadline (requests from
 *           several nodes at once queue instead of failing).
 *   master  one request at a time: RC_ACT_HOST_REQUEST to its host, whose
 *           rc_node_host_request_done() is the answer.  A second request
 *           meanwhile, or one while not master in nexus: BUSY.
 *
 * The payloads are the host's (wire.h rc_wire_host_request / _result); this
 * file only carries them, so a change of what can be asked needs no
 * protocol change.
 */
#include "rc_base.h"
#include "node_priv.h"

#define RC_REQUEST_TIMEOUTS 3	/* reply timeouts a request may take */

void rc_request_host(struct rc_node *n, const struct rc_host_cmd *c)
{
	struct rc_op *op;

	if (!rc_nexus(n) || rc_is_master(n) || n->master == RC_NO_NODE ||
	    !c->buf || !c->len || c->len > sizeof(n->hreq_out)) {
		rc_emit_complete(n, c->cookie, RC_SCSI_BUSY);
		return;
	}
	/* One of ours at a time: hreq_out is the message's payload. */
	for (op = n->ops; op < n->ops + RC_MAX_OPS; op++) {
		if (op->kind == RC_OP_REQUEST) {
			rc_emit_complete(n, c->cookie, RC_SCSI_BUSY);
			return;
		}
	}
	op = rc_op_new(n, RC_OP_REQUEST);
	if (!op) {
		rc_emit_complete(n, c->cookie, RC_SCSI_BUSY);
		return;
	}
	op->cookie = c->cookie;
	op->stage = n->master;		/* who must answer */
	op->len = c->len;
	op->deadline = n->now + RC_REQUEST_TIMEOUTS * n->p.reply_timeout_ms;
	memcpy(n->hreq_out, c->buf, c->len);
	if (rc_send(n, n->master, RC_DCMD_HOST_REQUEST, 0, 0, 0, op->id,
		    n->hreq_out, (u16)c->len) < 0) {
		rc_emit_complete(n, op->cookie, RC_SCSI_BUSY);
		rc_op_free(op);
	}
}

/* The master receives one. */
void rc_request_cmd(struct rc_node *n, u8 from, const struct rc_msg *m)
{
	struct rc_action a = { .type = RC_ACT_HOST_REQUEST };

	if (!rc_is_master(n) || !rc_nexus(n) || n->hreq_pending ||
	    !m->len || m->len > sizeof(n->hreq_in)) {
		rc_reply_msg(n, from, m, RC_SCSI_BUSY, NULL, 0);
		return;
	}
	n->hreq_pending = true;
	n->hreq_from = from;
	rc_req_of(&n->hreq_req, m);
	memcpy(n->hreq_in, m->payload, m->len);
	a.node = from;
	a.buf = n->hreq_in;
	a.len = m->len;
	rc_emit(n, &a);
}

void rc_request_done(struct rc_node *n, u8 status, const void *reply, u32 len)
{
	if (!n->hreq_pending)
		return;
	n->hreq_pending = false;
	if (len > RC_WIRE_MAX_PAYLOAD || (len && !reply)) {
		status = RC_SCSI_CHECK_CONDITION;
		len = 0;
	}
	if (status != RC_SCSI_GOOD)
		status = RC_SCSI_CHECK_CONDITION;
	rc_reply(n, n->hreq_from, &n->hreq_req, status, reply, (u16)len);
}

/* The slave gets the master's answer. */
void rc_request_reply(struct rc_node *n, u8 from, const struct rc_msg *m)
{
	struct rc_action a = { .type = RC_ACT_COMPLETE };
	struct rc_op *op = rc_op_find(n, m->op);

	if (!op || op->kind != RC_OP_REQUEST || op->stage != from)
		return;			/* late, or not ours */
	if (m->status == RC_SCSI_BUSY && !m->len &&
	    n->now + n->p.reserve_retry_ms < op->deadline) {
		/* Not carried out (another request first): ask again. */
		op->retry_at = n->now + n->p.reserve_retry_ms;
		return;
	}
	a.cookie = op->cookie;
	a.status = m->status;
	if (m->status != RC_SCSI_BUSY && m->len) {
		memcpy(n->hreq_reply, m->payload, m->len);
		a.buf = n->hreq_reply;
		a.len = m->len;
	}
	rc_op_free(op);
	if (a.cookie != RC_COOKIE_INTERNAL)
		rc_emit(n, &a);
}

void rc_request_tick(struct rc_node *n)
{
	struct rc_op *op;

	for (op = n->ops; op < n->ops + RC_MAX_OPS; op++) {
		if (op->kind != RC_OP_REQUEST)
			continue;
		/* Its master left (or another took over): it may have done
		 * it or not; the host says so and the admin looks.
		 */
		if (n->now >= op->deadline || n->master != op->stage ||
		    !rc_nexus(n)) {
			rc_emit_complete(n, op->cookie, RC_SCSI_BUSY);
			rc_op_free(op);
			continue;
		}
		if (op->retry_at && n->now >= op->retry_at &&
		    rc_send(n, op->stage, RC_DCMD_HOST_REQUEST, 0, 0, 0,
			    op->id, n->hreq_out, (u16)op->len) >= 0)
			op->retry_at = 0;
	}
	if (n->hreq_pending && (!rc_is_master(n) || !rc_nexus(n)))
		n->hreq_pending = false;	/* its answer would be a lie */
}
