// SPDX-License-Identifier: BSD-3-Clause
/* tests/plat_harness.cc: the whole-platform harness of tests/plat_harness.h. */
#include "plat_harness.h"

#include <cstring>

void PlatHarness::release()
{
	if (built)
		platform_free(p.get());
	built = false;
}

::testing::AssertionResult PlatHarness::boot(const std::string &yaml, std::vector<const char *> ovr)
{
	sim_diag d{};
	char err[1024] = "";
	if (scenario_load_string(yaml.c_str(), yaml_name_, ovr.data(), (int)ovr.size(), sc.get(), &d) != 0)
		return ::testing::AssertionFailure() << d.msg;
	if (platform_build(p.get(), sc.get(), SIM_BACKEND_NATIVE, err, sizeof(err)) != 0)
		return ::testing::AssertionFailure() << err;
	built = true;
	log.attach(p->sim.tr);
	sim_trace_add_sink(p->sim.tr, msg_sink, this);
	attach();
	platform_start(p.get());
	sim_run_while(p->sim.k, not_booted, p.get());
	if (!p->booted)
		return ::testing::AssertionFailure() << "did not boot";
	return ::testing::AssertionSuccess();
}

bool PlatHarness::not_booted(void *ctx)
{
	platform *pp = static_cast<platform *>(ctx);
	return !pp->booted && sim_now(pp->sim.k) < RUN_BOOT_LIMIT;
}

sim_time PlatHarness::now() const { return sim_now(p->sim.k); }

void PlatHarness::msg_sink(void *ctx, const sim_rec *r)
{
	PlatHarness *h = static_cast<PlatHarness *>(ctx);
	const sim_msg_arg *m = nullptr;
	if (r->kind != TR_SMC)
		return;
	if (r->world == SIM_WORLD_NS && r->a == OPTEE_SMC_CALL_WITH_REGD_ARG) {
		m = sim_shm_msg(h->p->shm, reg_pair_to_64(r->b, r->c), r->d & 0xffffffff);
	} else if (r->world == SIM_WORLD_S && r->a == TEESMC_OPTEED_RETURN_CALL_DONE && r->b == OPTEE_SMC_RETURN_RPC_CMD) {
		const sim_msg_arg *call = sim_shm_msg(h->p->shm, reg_pair_to_64(r->c, r->d), 0);
		if (call)
			m = sim_shm_msg(h->p->shm, reg_pair_to_64(r->c, r->d), SIM_MSG_ARG_SIZE(call->num_params));
	}
	if (m)
		h->msgs_.push_back(Msg{ r->t, r->cpu, r->world, r->a, *m });
}

const sim_msg_arg *PlatHarness::msg_of(const sim_rec &r) const
{
	for (const auto &m : msgs_)
		if (m.t == r.t && m.cpu == r.cpu && m.world == r.world && m.fid == r.a)
			return &m.arg;
	return nullptr;
}

std::vector<sim_rec> PlatHarness::recs(unsigned kind, sim_time from, int world, int cpu, int64_t a) const
{
	std::vector<sim_rec> v;
	for (const auto &r : log.recs)
		if (r.kind == kind && r.t >= from && (world < 0 || (int)r.world == world) &&
		    (cpu < 0 || r.cpu == cpu) && (a < 0 || r.a == (uint64_t)a))
			v.push_back(r);
	return v;
}

void DirectSmc::cont(void *ctx, struct pe *pe)
{
	DirectSmc *d = static_cast<DirectSmc *>(ctx);
	memcpy(d->ret, pe_regs(pe), sizeof(d->ret)); /* x0..x7 */
	d->done = true;
	pe_idle(pe);
}

void DirectSmc::fire(void *ctx, uint64_t)
{
	DirectSmc *d = static_cast<DirectSmc *>(ctx);
	struct pe *pe = d->pl->p->pe[d->cpu];
	if (!pe_quiescent(pe) || pe_world(pe) != SIM_WORLD_NS) {
		sim_post(d->pl->p->sim.k, SIM_US, fire, d, 0); /* not idle yet: try again */
		return;
	}
	pe_smc(pe, d->x, cont, d);
}

void DirectSmc::post(sim_time delay) { sim_post(pl->p->sim.k, delay, fire, this, 0); }

int run_quiet(const scenario *sc, run_result *res, int kernel, uint64_t seed, bool seed_given)
{
	run_opts o{};
	o.no_outputs = true;
	o.quiet = true;
	o.kernel = kernel;
	o.seed = seed;
	o.seed_given = seed_given;
	return run_scenario(sc, &o, res, nullptr);
}

int run_file(const char *path, run_result *res, std::vector<const char *> ovr, uint64_t seed, bool seed_given)
{
	std::unique_ptr<scenario> sc(new scenario());
	sim_diag d{};
	if (scenario_load(path, ovr.data(), (int)ovr.size(), sc.get(), &d) != 0) {
		ADD_FAILURE() << d.msg;
		return -1;
	}
	return run_quiet(sc.get(), res, -1, seed, seed_given);
}
