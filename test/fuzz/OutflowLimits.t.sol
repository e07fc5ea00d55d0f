// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ReserveVault} from "../../contracts/ReserveVault.sol";
import {
    DelayReason,
    IReserveVaultErrors,
    OperationState,
    OutflowLimit,
    Withdrawal
} from "../../contracts/interfaces/IReserveVault.sol";
import {ConfigRules} from "../../contracts/rules/ConfigRules.sol";
import {GuardianModule} from "../../contracts/guardians/GuardianModule.sol";
import {VaultFuzzBase} from "./VaultFuzzBase.sol";

/// @title Fuzzed risk-scaled delays: outflow limits per period and the destination allowlist.
/// @notice The rule (WithdrawalPolicy._assess, ReserveVault._queueWithdrawal): a withdrawal of
///         `amount` of an asset queued at time t waits the normal delay D iff the allowlist is off
///         or its destination is allowed, and the asset's limit L is not exceeded:
///         used(p) + amount <= L, where p = (t + D) / PERIOD and used(p) sums the counted
///         (normal-delay) withdrawals of that asset with their eta in period p, minus those whose
///         share was reclaimed. Otherwise it waits the long delay LD (>= D) and is not counted.
///         Each run deploys a 2-of-3 vault with a fuzzed ETH limit L, period, D, LD and execution
///         window, the allowlist on or off (one allowed destination), and drives it through a
///         random sequence of time jumps, withdrawals, cancellations (+ reclaim), executions and
///         reclaims, keeping its own model of the rule. Checked at every step:
///         - before each queueing, delayFor(asset, to, amount) is the model's (delay, reason);
///           after it, the recorded eta is queue time + that delay (and + delayFor's delay);
///         - an execution succeeds iff queuedAt + delay <= now <= that + window (the model's
///           times, not the vault's); earlier it reverts OperationNotReady, later OperationExpired;
///         - outflow(ETH) reports L, the model's used() of the current queue period, and its reset;
///         - reclaimOutflow succeeds exactly for a counted, not yet reclaimed withdrawal that is
///           cancelled or expired; anything else reverts NothingToRelease;
///         - per period, the counted withdrawals that executed total at most L (and so do the
///           counted ones not reclaimed).
/// @dev The test never reads block.timestamp (stale after vm.warp under via-IR): `Run.clock`.
contract OutflowLimitsFuzzTest is VaultFuzzBase {
    uint256 private constant SIGNER_COUNT = 3;
    uint256 private constant THRESHOLD = 2;
    uint256 private constant SIGNER_SEED = uint256(keccak256("OutflowLimits.signers"));
    /// @dev The one allowlisted destination, and one that is never on the allowlist (both EOAs).
    address private constant ALLOWED = address(uint160(uint256(keccak256("OutflowLimits.allowed"))));
    address private constant UNKNOWN = address(uint160(uint256(keccak256("OutflowLimits.unknown"))));
    address private constant ETH = address(0);

    uint256 private constant START = 1_700_000_000;
    /// @dev Actions per run of the sequence test.
    uint256 private constant STEPS = 16;
    /// @dev Enough for STEPS withdrawals of at most 2 * MAX_LIMIT each.
    uint256 private constant VAULT_FUNDS = 10_000 ether;

    // Fuzzed parameters' ranges: short enough that executions, expiries and period changes all
    // happen within a run's few time jumps.
    uint256 private constant MAX_LIMIT = 100 ether;
    uint256 private constant MIN_PERIOD = 1 hours;
    uint256 private constant MAX_PERIOD = 2 days;
    uint256 private constant MAX_WITHDRAWAL_DELAY = 3 days;
    uint256 private constant MAX_EXTRA_LONG_DELAY = 7 days;
    uint256 private constant MAX_WINDOW = 7 days;

    /// @dev Guardians of every vault here: fixed, never a signer; 2-of-3, council 4 of 6.
    uint256 private constant GUARDIAN_COUNT = 3;
    uint256 private constant GUARDIAN_THRESHOLD_HERE = 2;
    uint256 private constant COUNCIL_THRESHOLD = 4;

    enum Status {
        None,
        Queued,
        Executed,
        Cancelled
    }

    /// @dev One queued withdrawal as the model sees it; all times are the model's.
    struct Op {
        Withdrawal w;
        bytes32 id;
        uint256 slot;
        uint256 queuedAt;
        uint256 expectedDelay; // what the rule gives
        uint256 eta; //           queuedAt + expectedDelay
        uint256 deadline; //      eta + window
        bool counted; //          normal delay, counted against the limit
        bool reclaimed; //        its share was given back
        Status status;
    }

    /// @dev One run: the vault, its parameters, the model and the random stream.
    struct Run {
        ReserveVault vault;
        Signer[] signers;
        uint256 limit;
        uint256 period;
        uint256 delay;
        uint256 longDelay;
        uint256 window;
        bool allowlistOn;
        uint256 clock;
        uint256 seed;
        uint256 draws;
        uint256 slotBase;
        Op[] ops;
        uint256 count;
    }

    /// @dev The fuzzed inputs, bundled (via-IR stack).
    struct Params {
        uint256 seed;
        uint256 limitRaw;
        uint256 periodRaw;
        uint256 delayRaw;
        uint256 longDelayRaw;
        uint256 windowRaw;
        bool allowlistOn;
    }

    // -------------------------------------------------------------------------------------
    // Properties
    // -------------------------------------------------------------------------------------

    /// @notice For random sequences of withdrawals and time jumps, no withdrawal ever executes with
    ///         a delay shorter than the rule gives it, and per period the counted withdrawals that
    ///         execute total at most the limit.
    function testFuzz_NoWithdrawalBeatsTheRule(
        uint256 seed,
        uint256 limitRaw,
        uint256 periodRaw,
        uint256 delayRaw,
        uint256 longDelayRaw,
        uint256 windowRaw,
        bool allowlistOn
    ) external {
        Run memory r = _setUp(Params(seed, limitRaw, periodRaw, delayRaw, longDelayRaw, windowRaw, allowlistOn));
        for (uint256 i = 0; i < STEPS; ++i) {
            _step(r);
            _checkOutflowView(r);
            _checkPeriodsWithinLimit(r);
        }
    }

    /// @notice After random prior usage, delayFor's delay for one random withdrawal is exactly
    ///         eta - now once it is queued, its reason is the rule's (read from outflow()), and it
    ///         adds its amount to the period's usage iff it got the normal delay.
    function testFuzz_DelayForMatchesQueue(
        uint256 seed,
        uint256 limitRaw,
        uint256 periodRaw,
        uint256 delayRaw,
        uint256 longDelayRaw,
        bool allowlistOn
    ) external {
        Run memory r = _setUp(Params(seed, limitRaw, periodRaw, delayRaw, longDelayRaw, seed >> 128, allowlistOn));
        uint256 prior = _rand(r) % 5;
        for (uint256 i = 0; i < prior; ++i) {
            if (_rand(r) % 2 == 0) _jump(r);
            _queueOne(r);
        }
        _checkOneQueue(r);
    }

    // -------------------------------------------------------------------------------------
    // Actions
    // -------------------------------------------------------------------------------------

    function _step(Run memory r) private {
        uint256 action = _rand(r) % 10;
        if (action < 3) _jump(r);
        else if (action < 6) _queueOne(r);
        else if (action == 6) _cancelOne(r);
        else if (action < 9) _executeOne(r);
        else _reclaimOne(r);
    }

    /// @dev Moves the clock: a little, up to a period, up to a long delay plus a window, or to the
    ///      instant the queue period changes (or the second before).
    function _jump(Run memory r) private {
        uint256 mode = _rand(r) % 4;
        uint256 x = _rand(r);
        if (mode == 0) {
            _warpTo(r, r.clock + _bound(x, 1, 1 hours));
        } else if (mode == 1) {
            _warpTo(r, r.clock + _bound(x, 1, r.period));
        } else if (mode == 2) {
            _warpTo(r, r.clock + _bound(x, 1, r.longDelay + r.window));
        } else {
            (,, uint256 resetsAt) = r.vault.outflow(ETH);
            _assertEq(resetsAt, _resetsAt(r), "outflow: resetsAt is when the queue period changes");
            _warpTo(r, x % 2 == 0 ? resetsAt : resetsAt - 1);
        }
    }

    /// @dev Queues a random withdrawal in a fresh slot: delayFor before it and the eta after it
    ///      must be the rule's.
    function _queueOne(Run memory r) private {
        address to = _rand(r) % 4 == 0 ? UNKNOWN : ALLOWED;
        _queue(r, to, _pickAmount(r));
    }

    function _queue(Run memory r, address to, uint256 amount) private returns (Op memory op) {
        op = r.ops[r.count];
        op.w = Withdrawal({asset: ETH, to: to, amount: amount, nonce: uint32(r.count), epoch: FIRST_EPOCH});
        op.slot = r.slotBase + r.count;
        op.queuedAt = r.clock;
        _assertEq(r.vault.withdrawalNonce(ETH), r.count, "next ETH nonce");

        (uint256 delay, DelayReason reason) = r.vault.delayFor(ETH, op.w.to, op.w.amount);
        DelayReason expectedReason;
        (op.expectedDelay, expectedReason, op.counted) = _expected(r, op.w.to, op.w.amount);
        _assertEq(delay, op.expectedDelay, "delayFor: the delay the rule gives");
        _assertEq(uint256(reason), uint256(expectedReason), "delayFor: the reason the rule gives");
        op.eta = r.clock + op.expectedDelay;
        op.deadline = op.eta + r.window;

        op.id = r.vault.withdrawalId(op.w);
        _assertEq(r.vault.queueWithdrawal(op.w, op.slot, _quorum(r, op.id)), op.id, "queued id");
        (, uint256 eta, uint256 deadline,) = r.vault.queueSlot(op.slot);
        _assertEq(eta, op.eta, "eta = queue time + the delay the rule gives");
        _assertEq(eta, r.clock + delay, "eta = queue time + delayFor's delay");
        _assertEq(deadline, op.deadline, "deadline = eta + executionWindow");
        op.status = Status.Queued;
        ++r.count;
    }

    /// @dev Cancels a queued (possibly expired) withdrawal with a 2-of-3 quorum, then reclaims it.
    function _cancelOne(Run memory r) private {
        (bool found, uint256 i) = _pickQueued(r);
        if (!found) return;
        Op memory op = r.ops[i];
        r.vault.cancel(op.id, op.slot, _quorum(r, r.vault.cancellationId(op.id)));
        op.status = Status.Cancelled;
        _assertEq(
            uint256(r.vault.operationState(op.id, op.slot)), uint256(OperationState.Cancelled), "state after cancel"
        );
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.OperationNotQueued.selector, op.id, op.slot));
        r.vault.executeWithdrawal(op.w, op.slot);
        _reclaim(r, op);
    }

    /// @dev Tries to execute a queued withdrawal: now, at its eta, or at eta - 1 and then at eta.
    function _executeOne(Run memory r) private {
        (bool found, uint256 i) = _pickQueued(r);
        if (!found) return;
        Op memory op = r.ops[i];
        uint256 mode = _rand(r) % 3;
        if (mode > 0 && r.clock < op.eta) {
            if (mode == 1 && op.eta - 1 > r.clock) {
                _warpTo(r, op.eta - 1);
                _tryExecute(r, op);
            }
            _warpTo(r, op.eta);
        }
        _tryExecute(r, op);
    }

    /// @dev Tries to reclaim a random withdrawal's share.
    function _reclaimOne(Run memory r) private {
        if (r.count == 0) return;
        _reclaim(r, r.ops[_rand(r) % r.count]);
    }

    // -------------------------------------------------------------------------------------
    // Checks
    // -------------------------------------------------------------------------------------

    /// @dev Executes `op` at the clock: it must succeed iff the model says its delay has passed and
    ///      its window is open, and otherwise fail with the error for its side.
    function _tryExecute(Run memory r, Op memory op) private {
        uint256 balanceBefore = op.w.to.balance;
        bool ok;
        bytes memory err;
        try r.vault.executeWithdrawal(op.w, op.slot) {
            ok = true;
        } catch (bytes memory reason) {
            err = reason;
        }
        if (r.clock < op.queuedAt + op.expectedDelay) {
            _assertTrue(!ok, "a withdrawal executed before the delay the rule gives");
            _assertEq(
                keccak256(err),
                keccak256(
                    abi.encodeWithSelector(
                        IReserveVaultErrors.OperationNotReady.selector, op.id, op.queuedAt + op.expectedDelay, r.clock
                    )
                ),
                "early execution reverts OperationNotReady(id, eta, now)"
            );
        } else if (r.clock > op.deadline) {
            _assertTrue(!ok, "a withdrawal executed after its window");
            _assertEq(
                keccak256(err),
                keccak256(
                    abi.encodeWithSelector(IReserveVaultErrors.OperationExpired.selector, op.id, op.deadline, r.clock)
                ),
                "late execution reverts OperationExpired(id, deadline, now)"
            );
        } else {
            if (!ok) _bubble(err);
            _assertTrue(r.clock >= op.queuedAt + op.expectedDelay, "executed no earlier than queuedAt + its delay");
            _assertEq(op.w.to.balance, balanceBefore + op.w.amount, "recipient received the amount");
            op.status = Status.Executed;
        }
    }

    /// @dev reclaimOutflow succeeds iff `op` is counted, not yet reclaimed, and cancelled or
    ///      queued past its deadline; otherwise it reverts NothingToRelease.
    function _reclaim(Run memory r, Op memory op) private {
        bool dead = op.status == Status.Cancelled || (op.status == Status.Queued && r.clock > op.deadline);
        if (op.counted && !op.reclaimed && dead) {
            r.vault.reclaimOutflow(op.w, op.slot);
            op.reclaimed = true;
        } else {
            vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NothingToRelease.selector, op.id, op.slot));
            r.vault.reclaimOutflow(op.w, op.slot);
        }
    }

    /// @dev outflow(ETH) reports the limit, the model's usage of the current queue period and
    ///      when that period ends for withdrawals queued from now on.
    function _checkOutflowView(Run memory r) private view {
        (uint256 limit, uint256 used, uint256 resetsAt) = r.vault.outflow(ETH);
        _assertEq(limit, r.limit, "outflow: limit");
        _assertEq(used, _usedIn(r, _queuePeriod(r)), "outflow: used in the current period = the model's");
        _assertEq(resetsAt, _resetsAt(r), "outflow: resetsAt");
    }

    /// @dev Per period of eta: executed counted withdrawals total at most the limit, and so do the
    ///      counted ones whose share was not reclaimed.
    function _checkPeriodsWithinLimit(Run memory r) private pure {
        for (uint256 i = 0; i < r.count; ++i) {
            if (!r.ops[i].counted) continue;
            uint256 p = r.ops[i].eta / r.period;
            uint256 executed = 0;
            for (uint256 j = 0; j < r.count; ++j) {
                Op memory o = r.ops[j];
                if (o.counted && o.status == Status.Executed && o.eta / r.period == p) executed += o.w.amount;
            }
            if (executed > r.limit) {
                revert(
                    string.concat(
                        "counted withdrawals executed in period ",
                        vm.toString(p),
                        " total ",
                        vm.toString(executed),
                        " > limit ",
                        vm.toString(r.limit)
                    )
                );
            }
            _assertTrue(_usedIn(r, p) <= r.limit, "counted, unreclaimed withdrawals of a period exceed the limit");
        }
    }

    /// @dev One last withdrawal after the prior ones: delayFor's delay before it against eta - now
    ///      after it, and its delay, reason and counting against the vault's own outflow() view.
    function _checkOneQueue(Run memory r) private {
        (, uint256 usedBefore,) = r.vault.outflow(ETH);
        address to = _rand(r) % 2 == 0 ? UNKNOWN : ALLOWED;
        uint256 amount = _pickAmount(r);
        (uint256 delay, DelayReason reason) = r.vault.delayFor(ETH, to, amount);
        Op memory op = _queue(r, to, amount);
        (, uint256 eta,,) = r.vault.queueSlot(op.slot);
        _assertEq(eta - op.queuedAt, delay, "delayFor's delay == eta - now");

        bool allowed = !r.allowlistOn || to == ALLOWED;
        bool normal = allowed && usedBefore + amount <= r.limit;
        _assertEq(delay, normal ? r.delay : r.longDelay, "normal delay iff allowed and within the limit");
        DelayReason expected =
            normal ? DelayReason.WithinLimit : allowed ? DelayReason.OverLimit : DelayReason.UnknownDestination;
        _assertEq(uint256(reason), uint256(expected), "delayFor's reason");
        (, uint256 usedAfter,) = r.vault.outflow(ETH);
        _assertEq(usedAfter, usedBefore + (normal ? amount : 0), "counted iff it got the normal delay");
    }

    // -------------------------------------------------------------------------------------
    // The model
    // -------------------------------------------------------------------------------------

    /// @dev The rule: (delay, reason, counted) for `amount` to `to` queued at the clock.
    function _expected(Run memory r, address to, uint256 amount)
        private
        pure
        returns (uint256 delay, DelayReason reason, bool counted)
    {
        if (r.allowlistOn && to != ALLOWED) return (r.longDelay, DelayReason.UnknownDestination, false);
        if (_usedIn(r, _queuePeriod(r)) + amount <= r.limit) return (r.delay, DelayReason.WithinLimit, true);
        return (r.longDelay, DelayReason.OverLimit, false);
    }

    /// @dev used(p): counted, not reclaimed withdrawals with their eta in period p.
    function _usedIn(Run memory r, uint256 p) private pure returns (uint256 used) {
        for (uint256 i = 0; i < r.count; ++i) {
            Op memory op = r.ops[i];
            if (op.counted && !op.reclaimed && op.eta / r.period == p) used += op.w.amount;
        }
    }

    /// @dev The period a withdrawal queued now with the normal delay falls in.
    function _queuePeriod(Run memory r) private pure returns (uint256) {
        return (r.clock + r.delay) / r.period;
    }

    /// @dev When the queue period changes: the first queue time whose eta lands in the next period.
    function _resetsAt(Run memory r) private pure returns (uint256) {
        return (_queuePeriod(r) + 1) * r.period - r.delay;
    }

    // -------------------------------------------------------------------------------------
    // Inputs
    // -------------------------------------------------------------------------------------

    /// @dev An amount in [1, 2L]: exactly the room left in the queue period, one more than that,
    ///      or random (at one of four scales, so that several fit in a period).
    function _pickAmount(Run memory r) private pure returns (uint256) {
        uint256 mode = _rand(r) % 8;
        uint256 room = r.limit - _usedIn(r, _queuePeriod(r));
        if (mode == 0 && room > 0) return room;
        if (mode == 1) return room + 1;
        uint256 highest = 2 * r.limit / (1 + _rand(r) % 4);
        return _bound(_rand(r), 1, highest > 0 ? highest : 1);
    }

    /// @dev A queued (not executed, not cancelled; maybe expired) withdrawal, from a random start.
    function _pickQueued(Run memory r) private pure returns (bool found, uint256 index) {
        if (r.count == 0) return (false, 0);
        uint256 start = _rand(r) % r.count;
        for (uint256 k = 0; k < r.count; ++k) {
            index = (start + k) % r.count;
            if (r.ops[index].status == Status.Queued) return (true, index);
        }
        return (false, 0);
    }

    /// @dev Signatures over `digest` from a random 2 of the 3 signers, ascending.
    function _quorum(Run memory r, bytes32 digest) private pure returns (bytes memory) {
        uint256[3] memory masks = [uint256(3), 5, 6];
        return _join(_signEach(_subset(r.signers, masks[_rand(r) % 3]), digest));
    }

    function _rand(Run memory r) private pure returns (uint256) {
        return uint256(keccak256(abi.encode(r.seed, r.draws++)));
    }

    function _warpTo(Run memory r, uint256 t) private {
        r.clock = t;
        vm.warp(t);
    }

    /// @dev Re-raises a revert reason unchanged.
    function _bubble(bytes memory err) private pure {
        assembly ("memory-safe") {
            revert(add(err, 0x20), mload(err))
        }
    }

    // -------------------------------------------------------------------------------------
    // Setup
    // -------------------------------------------------------------------------------------

    function _setUp(Params memory p) private returns (Run memory r) {
        r.seed = p.seed;
        r.limit = _bound(p.limitRaw, 1, MAX_LIMIT);
        r.period = _bound(p.periodRaw, MIN_PERIOD, MAX_PERIOD);
        r.delay = _bound(p.delayRaw, MIN_DELAY, MAX_WITHDRAWAL_DELAY);
        r.longDelay = _bound(p.longDelayRaw, r.delay, r.delay + MAX_EXTRA_LONG_DELAY);
        r.window = _bound(p.windowRaw, MIN_EXECUTION_WINDOW, MAX_WINDOW);
        r.allowlistOn = p.allowlistOn;
        r.signers = _makeSigners(SIGNER_SEED, SIGNER_COUNT);
        r.ops = new Op[](STEPS + 1);
        r.slotBase = _rand(r) >> 128;
        r.vault = _deployOutflowVault(r);
        vm.deal(address(r.vault), VAULT_FUNDS);
        _warpTo(r, START + _bound(_rand(r), 0, r.period));
        _checkDeployment(r);
    }

    /// @dev The vault reports the fuzzed policy and delays.
    function _checkDeployment(Run memory r) private view {
        (, uint256 outflowPeriod, bool allowlistEnabled, address[] memory allowlist) = r.vault.withdrawalPolicy();
        _assertEq(outflowPeriod, r.period, "outflow period");
        _assertTrue(allowlistEnabled == r.allowlistOn, "allowlist enabled");
        _assertEq(allowlist.length, 1, "allowlist length");
        _assertEq(allowlist[0], ALLOWED, "allowlist entry");
        (,,, uint256 withdrawalDelay,, uint256 window,) = r.vault.configuration();
        _assertEq(withdrawalDelay, r.delay, "withdrawalDelay");
        _assertEq(window, r.window, "executionWindow");
        _checkOutflowView(r);
    }

    /// @dev A 2-of-3 vault with an ETH limit, the fuzzed outflow period and delays; every other
    ///      delay set to satisfy ConfigRules' timing bounds: D <= configDelay = D <= recovery =
    ///      council = D; D <= LD <= vetoQuietPeriod = LD <= MAX_DELAY; MIN_FREEZE <= maxFreeze =
    ///      freezeCooldown < executionWindow.
    function _deployOutflowVault(Run memory r) private returns (ReserveVault) {
        address[] memory accounts = new address[](SIGNER_COUNT);
        for (uint256 i = 0; i < SIGNER_COUNT; ++i) {
            accounts[i] = r.signers[i].account;
        }
        OutflowLimit[] memory limits = new OutflowLimit[](1);
        limits[0] = OutflowLimit({asset: ETH, limit: r.limit});
        address[] memory allowlist = new address[](1);
        allowlist[0] = ALLOWED;
        ReserveVault.InitialPolicy memory policy = ReserveVault.InitialPolicy({
            outflowPeriod: r.period,
            outflowLimits: limits,
            allowlist: allowlist,
            allowlistEnabled: r.allowlistOn
        });
        return _newOutflowVault(_initialConfig(r, accounts), policy);
    }

    function _initialConfig(Run memory r, address[] memory accounts)
        private
        pure
        returns (ReserveVault.InitialConfig memory)
    {
        uint256 maxFreeze = r.window > 1 hours ? 1 hours : r.window - 1;
        return ReserveVault.InitialConfig({
            signers: accounts,
            threshold: THRESHOLD,
            withdrawalDelay: r.delay,
            configDelay: r.delay,
            executionWindow: r.window,
            longDelay: r.longDelay,
            coolOff: MIN_DELAY,
            recoveryDelay: r.delay,
            councilDelay: r.delay,
            maxFreeze: maxFreeze,
            freezeCooldown: maxFreeze,
            vetoQuietPeriod: r.longDelay
        });
    }

    function _newOutflowVault(ReserveVault.InitialConfig memory config, ReserveVault.InitialPolicy memory policy)
        private
        returns (ReserveVault)
    {
        address[] memory guardians = new address[](GUARDIAN_COUNT);
        for (uint256 i = 0; i < GUARDIAN_COUNT; ++i) {
            guardians[i] = address(uint160(0x6A00 + i)); // fixed, ascending, never a derived signer
        }
        GuardianModule module = new GuardianModule(guardians, GUARDIAN_THRESHOLD_HERE, COUNCIL_THRESHOLD);
        return new ReserveVault(config, policy, module, new ConfigRules());
    }
}
