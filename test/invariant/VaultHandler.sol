// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

import {ReserveVault} from "../../contracts/ReserveVault.sol";
import {GuardianModule} from "../../contracts/guardians/GuardianModule.sol";
import {
    ConfigAction,
    ConfigChange,
    CouncilChange,
    OperationState,
    OutflowLimit,
    Recovery,
    Timings,
    Withdrawal
} from "../../contracts/interfaces/IReserveVault.sol";
import {DelayTable} from "../../contracts/libraries/DelayTable.sol";
import {OperationHashing} from "../../contracts/libraries/OperationHashing.sol";
import {ConfigRules} from "../../contracts/rules/ConfigRules.sol";
import {Vm, VM_ADDRESS} from "../fuzz/Vm.sol";

/// @dev The one cheatcode the handler needs beyond test/fuzz/Vm.sol (signature from forge-std).
interface VmWithPrank is Vm {
    /// @notice The next call's msg.sender is `msgSender`.
    function prank(address msgSender) external;
}

/// @title The invariant runner's only target: it drives one vault and its guardian module through
///        random withdrawals, cancellations, vetoes, freezes, recoveries, council changes and time,
///        and keeps a ghost model of what may legitimately happen.
/// @notice Every key (signers, guardians, candidates) comes from a pool of known private keys, so
///         every approval is a real EIP-712 signature (`vm.sign`) submitted by this handler, which
///         is itself no member: quorums come from signatures alone. Some actions deliberately try
///         with one approval too few, or with an outsider's signature; they must fail.
/// @dev The handler never reads `block.timestamp`: under via-IR a read after `vm.warp` may be
///      stale, so it keeps its own clock and warps to it at the start of every action. It never
///      reverts on a refused action (try/catch): a refusal is a valid outcome; an action that
///      succeeds although the ghost model says it must not is recorded as a violation, which the
///      invariants turn into a failure with its reason.
contract VaultHandler {
    VmWithPrank private constant vm = VmWithPrank(VM_ADDRESS);

    // -------------------------------------------------------------------------------------
    // Configuration: realistic delays (scripts/lib DEFAULT_TIMINGS) at the start — delay changes
    // move all but MAX_FREEZE and FREEZE_COOLDOWN, so the ghost model reads vault.timings() —,
    // 2-of-3 signers, 2-of-3 guardians
    // -------------------------------------------------------------------------------------

    uint256 public constant WITHDRAWAL_DELAY = 1 days;
    uint256 public constant CONFIG_DELAY = 2 days;
    uint256 public constant EXECUTION_WINDOW = 7 days;
    uint256 public constant LONG_DELAY = 3 days;
    uint256 public constant COOL_OFF = 7 days;
    uint256 public constant RECOVERY_DELAY = 3 days;
    uint256 public constant COUNCIL_DELAY = 4 days;
    uint256 public constant MAX_FREEZE = 3 days;
    uint256 public constant FREEZE_COOLDOWN = 7 days;
    uint256 public constant VETO_QUIET_PERIOD = 7 days;

    uint256 public constant INITIAL_BALANCE = 1_000 ether;
    uint256 public constant START = 1_700_000_000;

    /// @dev Keys that can ever be signers or guardians; sets are drawn from it.
    uint256 private constant POOL_SIZE = 10;
    /// @dev Few queue slots, so that slots are reused (expired and final operations).
    uint256 public constant SLOTS = 6;
    uint256 private constant MAX_NEW_SIGNERS = 5;
    uint256 private constant MAX_NEW_GUARDIANS = 4;
    uint256 private constant MAX_AMOUNT = 5 ether;
    uint256 private constant SECP256K1_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    bytes32 private constant EIP712_DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

    ReserveVault public vault;
    GuardianModule public module;
    ConfigRules private _rules;
    /// @dev The module's EIP-712 domain separator, for the three digests it has no view for
    ///      (Veto, Freeze, Unfreeze); the struct hashes come from the contracts' OperationHashing.
    bytes32 private _moduleDomain;

    /// @dev The pool, sorted by address (so pool order is the contracts' member order).
    address[POOL_SIZE] private _poolAddress;
    uint256[POOL_SIZE] private _poolKey;
    mapping(address account => uint256 indexPlusOne) private _poolIndex;

    // -------------------------------------------------------------------------------------
    // Ghost state
    // -------------------------------------------------------------------------------------

    enum Status {
        Queued,
        Executed,
        Cancelled,
        Proposed,
        Revoked
    }

    /// @dev A withdrawal this handler proposed or queued, with what the ghost model expects of it;
    ///      or a delay change it queued (`config`: its content is in `_changes`, `w` is empty but
    ///      for the epoch and a nonce no withdrawal uses).
    struct Op {
        Withdrawal w;
        bytes32 id;
        uint256 slot; //     its queue slot (for a proposal: the slot it will be queued in)
        uint256 eta; //      queue time + the delay the ghost model says applied
        uint256 deadline; // eta + execution window
        bool quorum; //      approved by at least M current signers
        Status status;
        OperationState seen; // its state as `operationState(id, slot)` read after the last action
        bool queued; //      it was queued: it holds (or held) its slot
        bool evicted; //     a later operation took its slot (the view then reads Unknown)
        bool config; //      a delay change, not a withdrawal
        uint256 proposer; // pool index + 1 of its on-chain proposer; 0 if queued by signatures alone
    }

    struct PendingRecovery {
        bool queued;
        bytes32 id;
        uint256 eta;
        uint256 deadline;
        address[] signers;
        uint256 threshold;
        uint32 nonce;
        uint32 guardianEpoch;
    }

    struct PendingCouncil {
        bool queued;
        uint256 eta;
        uint256 deadline;
        CouncilChange change;
    }

    /// @notice The handler's clock (never block.timestamp).
    uint256 public clock;
    /// @notice Sum of the amounts of executions the ghost model calls legitimate.
    uint256 public legitOutflow;
    /// @notice Actions that succeeded although the ghost model says they must not, and the first
    ///         reason: on the path of funds (queueing, eta, execution), and on every other rule
    ///         (cancellation, veto rate, freeze, unfreeze, recovery, council).
    uint256 public fundsViolations;
    string public firstFundsViolation;
    uint256 public ruleViolations;
    string public firstRuleViolation;
    /// @notice Violations of the operation state machine (P8), of the queue-slot rules (P9) and of
    ///         replay protection (P6), with the first reason of each.
    uint256 public stateViolations;
    string public firstStateViolation;
    uint256 public slotViolations;
    string public firstSlotViolation;
    uint256 public replayViolations;
    string public firstReplayViolation;
    /// @notice Delay changes that succeeded although out of their bounds (P16), and the first reason.
    uint256 public boundViolations;
    string public firstBoundViolation;
    /// @notice How many delay changes executed (coverage of the random walk).
    uint256 public executedDelayChanges;

    Op[] private _ops;
    /// @dev Indices into `_ops` of the operations whose state may still change (not settled).
    uint256[] private _live;
    /// @dev Per queue slot, the index + 1 into `_ops` of the operation the handler last queued there.
    mapping(uint256 slot => uint256 opPlusOne) private _occupant;
    /// @dev The operation the current action moved (index + 1, 0 if none) and the state it must reach.
    uint256 private _cause;
    OperationState private _causeTo;
    /// @dev Whether a guardian, recovery or council call succeeded in the current action, and the
    ///      clock of the last observation: an action with neither, nor a cause, changed nothing
    ///      (every call it made reverted) and is not observed.
    bool private _touched;
    uint256 private _observedAt;
    /// @notice The next ETH withdrawal nonce the ghost model expects: one more per queued withdrawal
    ///         and per cancelled pending proposal (P6).
    uint32 public ghostNonce;
    /// @dev The content of each recorded delay change, by its index in `_ops`.
    mapping(uint256 index => ConfigChange change) private _changes;
    PendingRecovery private _recovery;
    PendingCouncil private _council;

    /// @notice The signer epoch the ghost model expects (one per recovery or signer-replacing council).
    uint32 public ghostEpoch = 1;
    uint256 public ghostCoolOffUntil;
    /// @notice Until when the ghost model expects withdrawals to be frozen, and since when.
    uint256 public ghostFrozenUntil;
    uint256 public freezeStart;
    /// @notice Longest freeze observed on the vault (its frozenUntil minus the freeze's start).
    uint256 public longestFreeze;
    /// @notice Frozen time of freezes that are over (the current one is added by `totalFrozen`).
    uint256 public closedFrozen;
    uint256 private _ghostNextFreezeAt;
    bool private _everFrozen;
    /// @dev The ghost veto level and the time of the last veto (decay as the module documents).
    uint256 private _ghostVetoLevel;
    uint256 private _ghostLastVetoAt;

    /// @notice How often each kind of action succeeded (coverage of the random walk).
    uint256 public executedWithdrawals;
    uint256 public vetoes;
    uint256 public freezes;
    uint256 public executedRecoveries;
    uint256 public executedCouncils;

    /// @dev Every action runs at the handler's clock and ends by observing the operations and
    ///      slots (P8, P9), even when it returns early (see `_observe`).
    modifier tick() {
        vm.warp(clock);
        _;
        _observe();
    }

    /// @dev ETH without an outflow limit: this handler checks timelock, quorum and freeze rules
    ///      (test/fuzz/OutflowLimits.t.sol checks the risk-scaled delays).
    function _unlimitedEth() private pure returns (OutflowLimit[] memory limits) {
        limits = new OutflowLimit[](1);
        limits[0] = OutflowLimit({asset: address(0), limit: type(uint96).max});
    }

    constructor() {
        clock = START;
        vm.warp(START);
        _makePool();

        address[] memory guardians = new address[](3);
        address[] memory signers = new address[](3);
        for (uint256 i = 0; i < 3; ++i) {
            signers[i] = _poolAddress[2 * i]; // pool 0, 2, 4
            guardians[i] = _poolAddress[2 * i + 1]; // pool 1, 3, 5
        }
        module = new GuardianModule(guardians, 2, 4);
        vault = new ReserveVault(
            ReserveVault.InitialConfig({
                signers: signers,
                threshold: 2,
                withdrawalDelay: WITHDRAWAL_DELAY,
                configDelay: CONFIG_DELAY,
                executionWindow: EXECUTION_WINDOW,
                longDelay: LONG_DELAY,
                coolOff: COOL_OFF,
                recoveryDelay: RECOVERY_DELAY,
                councilDelay: COUNCIL_DELAY,
                maxFreeze: MAX_FREEZE,
                freezeCooldown: FREEZE_COOLDOWN,
                vetoQuietPeriod: VETO_QUIET_PERIOD
            }),
            ReserveVault.InitialPolicy({
                outflowPeriod: 1 days,
                outflowLimits: _unlimitedEth(),
                allowlist: new address[](0),
                allowlistEnabled: false
            }),
            module,
            _rules = new ConfigRules()
        );
        vm.deal(address(vault), INITIAL_BALANCE);

        (, string memory name, string memory version, uint256 chainId, address verifyingContract,,) =
            module.eip712Domain();
        bytes32 domain = keccak256(
            abi.encode(
                EIP712_DOMAIN_TYPEHASH, keccak256(bytes(name)), keccak256(bytes(version)), chainId, verifyingContract
            )
        );
        // The separator must agree with the module's own digest of a Cancellation.
        bytes32 probe = keccak256("probe");
        require(
            module.cancellationId(probe)
                == MessageHashUtils.toTypedDataHash(domain, OperationHashing.hashCancellation(probe, 1)),
            "module domain separator"
        );
        _moduleDomain = domain;
        ghostNonce = vault.withdrawalNonce(address(0));
    }

    // =====================================================================================
    // Withdrawals
    // =====================================================================================

    /// @notice Queues an ETH withdrawal by signatures. mode 0-1: M signers; 2: M - 1 signers;
    ///         3: M - 1 signers and one non-signer. Only the first may succeed.
    function queueWithdrawal(uint256 amountSeed, uint256 slotSeed, uint256 signerSeed, uint256 mode) external tick {
        (uint32 epoch, uint256 m,,,,,) = vault.configuration();
        Withdrawal memory w = _nextWithdrawal(amountSeed, epoch, false);
        uint256 slot = slotSeed % SLOTS;
        uint256[] memory signers = _members(vault.signers());
        mode %= 4;
        bool quorum = mode <= 1;
        uint256[] memory chosen = _choose(signers, quorum ? m : m - 1, signerSeed);
        if (mode == 3) chosen = _withIntruder(chosen, signers, signerSeed);
        bytes32 id = vault.withdrawalId(w);
        try vault.queueWithdrawal(w, slot, _sign(chosen, id)) {
            if (!quorum) _fundsViolation("a withdrawal was queued without a signer quorum");
            _recordQueued(_newOp(w, id, slot, 0), quorum);
        } catch {}
    }

    /// @notice Proposes a withdrawal on-chain and has M - 1 other signers approve it; the last
    ///         approval queues it (with M = 1, a signature-less queue counts the proposal).
    function proposeAndApprove(uint256 amountSeed, uint256 slotSeed, uint256 signerSeed) external tick {
        (uint32 epoch, uint256 m,,,,,) = vault.configuration();
        Withdrawal memory w = _nextWithdrawal(amountSeed, epoch, true);
        uint256 slot = slotSeed % SLOTS;
        uint256[] memory chosen = _choose(_members(vault.signers()), m, signerSeed);
        bytes32 id = vault.withdrawalId(w);
        vm.prank(_poolAddress[chosen[0]]);
        try vault.proposeWithdrawal(w) {}
        catch {
            return;
        }
        uint256 index = _newOp(w, id, slot, chosen[0] + 1);
        _causeOp(index, OperationState.Pending);
        if (m == 1) {
            try vault.queueWithdrawal(w, slot, "") {
                _recordQueued(index, true);
            } catch {}
            return;
        }
        for (uint256 i = 1; i < m; ++i) {
            vm.prank(_poolAddress[chosen[i]]);
            try vault.approveWithdrawal(w, slot) returns (bool queued) {
                if (queued != (i == m - 1)) _fundsViolation("an approval below the threshold queued a withdrawal");
                if (queued) _recordQueued(index, true);
            } catch {
                return;
            }
        }
    }

    /// @notice Tries to execute a recorded withdrawal now (one in eight with a forged amount): mostly
    ///         one the ghost model thinks is executable, otherwise any.
    function executeWithdrawal(uint256 opSeed, uint256 forgeSeed) external tick {
        if (_ops.length == 0) return;
        uint256 index = _pickOp(opSeed, true);
        Op storage op = _ops[index];
        Withdrawal memory w = op.w;
        bool forged = forgeSeed % 8 == 0;
        if (forged) w.amount += 1;
        uint256 before = address(vault).balance;
        try vault.executeWithdrawal(w, op.slot) {
            _causeOp(index, OperationState.Executed);
            uint256 paid = before - address(vault).balance;
            if (paid != w.amount) _fundsViolation("an execution paid another amount than approved");
            bool legitimate = !forged && op.quorum && op.status == Status.Queued && clock >= op.eta
                && clock <= op.deadline && clock >= ghostFrozenUntil && w.epoch == ghostEpoch;
            if (legitimate) {
                legitOutflow += paid;
                op.status = Status.Executed;
                ++executedWithdrawals;
            } else {
                _fundsViolation("funds left through an execution the ghost model forbids");
            }
        } catch {}
    }

    /// @notice The signer quorum (mode != 0) or one signer too few (mode 0) cancels a recorded withdrawal.
    function cancel(uint256 opSeed, uint256 signerSeed, uint256 mode) external tick {
        if (_ops.length == 0) return;
        uint256 index = _pickOp(opSeed, false);
        Op storage op = _ops[index];
        (, uint256 m,,,,,) = vault.configuration();
        bool quorum = mode % 3 != 0;
        uint256[] memory chosen = _choose(_members(vault.signers()), quorum ? m : m - 1, signerSeed);
        try vault.cancel(op.id, op.slot, _sign(chosen, vault.cancellationId(op.id))) {
            if (!quorum) _ruleViolation("a cancellation without a signer quorum succeeded");
            // Cancelling a pending proposal consumes its nonce (SPEC §4, state machine).
            if (op.seen == OperationState.Pending) _useNonce(op.w.nonce);
            if (op.status != Status.Executed) op.status = Status.Cancelled;
            _causeOp(index, OperationState.Cancelled);
        } catch {}
    }

    /// @notice One signer proposes a withdrawal on-chain and nobody approves it yet: it is Pending.
    function propose(uint256 amountSeed, uint256 slotSeed, uint256 signerSeed) external tick {
        (uint32 epoch,,,,,,) = vault.configuration();
        Withdrawal memory w = _nextWithdrawal(amountSeed, epoch, true);
        uint256[] memory signers = _members(vault.signers());
        uint256 proposer = signers[signerSeed % signers.length];
        vm.prank(_poolAddress[proposer]);
        try vault.proposeWithdrawal(w) returns (bytes32 id) {
            _causeOp(_newOp(w, id, slotSeed % SLOTS, proposer + 1), OperationState.Pending);
        } catch {}
    }

    /// @notice Moves a recorded proposal on: one signer approves it on-chain (mode 0; the approval
    ///         reaching M queues it in its slot), or M signatures queue it (mode 1), which SPEC §4
    ///         allows for a revoked proposal too.
    function approve(uint256 opSeed, uint256 signerSeed, uint256 mode) external tick {
        if (_ops.length == 0) return;
        uint256 index = _pickProposal(opSeed);
        Op storage op = _ops[index];
        (, uint256 m,,,,,) = vault.configuration();
        uint256[] memory signers = _members(vault.signers());
        if (mode % 2 == 0) {
            vm.prank(_poolAddress[signers[signerSeed % signers.length]]);
            try vault.approveWithdrawal(op.w, op.slot) returns (bool queued) {
                if (queued) _recordQueued(index, true);
                else _causeOp(index, OperationState.Pending);
            } catch {}
        } else {
            try vault.queueWithdrawal(op.w, op.slot, _sign(_choose(signers, m, signerSeed), op.id)) {
                _recordQueued(index, true);
            } catch {}
        }
    }

    /// @notice The proposer of a recorded proposal (mode != 0) or any pool key (mode 0) revokes it.
    function revoke(uint256 opSeed, uint256 keySeed, uint256 mode) external tick {
        if (_ops.length == 0) return;
        uint256 index = _pickProposal(opSeed);
        Op storage op = _ops[index];
        bool byProposer = mode % 3 != 0 && op.proposer != 0;
        address caller = _poolAddress[byProposer ? op.proposer - 1 : keySeed % POOL_SIZE];
        vm.prank(caller);
        try vault.revokeProposal(op.id) {
            // The vault knows the proposer by its index in the current signer set: after a
            // membership change another key may hold that index, but the proposal is then of an
            // old epoch and can never be queued.
            bool proposer = op.proposer != 0 && caller == _poolAddress[op.proposer - 1];
            if (!proposer && op.w.epoch == ghostEpoch) _ruleViolation("a signer revoked another's proposal");
            op.status = Status.Revoked;
            _causeOp(index, OperationState.Revoked);
        } catch {}
    }

    /// @notice Replays a withdrawal whose nonce is used (queued, or cancelled while pending): its
    ///         content re-signed by M current signers for the current epoch, in any slot. Must fail (P6).
    function replayWithdrawal(uint256 opSeed, uint256 slotSeed, uint256 signerSeed) external tick {
        if (_ops.length == 0) return;
        Withdrawal memory w = _ops[opSeed % _ops.length].w;
        if (w.nonce >= ghostNonce) return;
        (uint32 epoch, uint256 m,,,,,) = vault.configuration();
        w.epoch = epoch;
        bytes32 id = vault.withdrawalId(w);
        try vault.queueWithdrawal(w, slotSeed % SLOTS, _sign(_choose(_members(vault.signers()), m, signerSeed), id)) {
            _replayViolation("a withdrawal was queued again with a used nonce");
            _touched = true;
        } catch {}
    }

    // =====================================================================================
    // Delay changes (P16): the signer quorum changes a delay, by signatures; anyone executes
    // =====================================================================================

    /// @notice M signers queue a change of one delay (`which`), mostly to a value within the bounds
    ///         ConfigRules.timingBounds gives against the current delays, one in eight just outside
    ///         them (which must be refused). Not maxFreeze or freezeCooldown: the freeze ghost and
    ///         the P13 invariants take them as fixed.
    function queueDelayChange(uint256 which, uint256 valueSeed, uint256 slotSeed, uint256 signerSeed) external tick {
        Timings memory t = _timings();
        (ConfigChange memory c, bool inBounds) = _delayChange(which, valueSeed, t);
        uint256 slot = slotSeed % SLOTS;
        bytes memory signatures = _signQuorum(vault.configChangeId(c), signerSeed);
        try vault.queueConfigChange(c, slot, signatures) returns (bytes32 id) {
            if (!inBounds) _boundViolation("a delay change out of its bounds was queued");
            _recordChangeQueued(c, id, slot, t);
        } catch {}
    }

    /// @notice Anyone executes a recorded delay change (mostly one still queued).
    function executeDelayChange(uint256 opSeed) external tick {
        if (_ops.length == 0) return;
        uint256 index = _pickChange(opSeed);
        Op storage op = _ops[index];
        if (!op.config) return;
        try vault.executeConfigChange(_changes[index], op.slot) {
            _causeOp(index, OperationState.Executed);
            if (op.status != Status.Queued || clock < op.eta || clock > op.deadline) {
                _ruleViolation("a delay change executed outside its window or twice");
            }
            op.status = Status.Executed;
            if (DelayTable.valueOf(_timings(), _changes[index].action) != _changes[index].value) {
                _boundViolation("an executed delay change did not set its delay");
            }
            ++executedDelayChanges;
        } catch {}
    }

    /// @dev Records a delay change just queued: its eta must be configDelay, or max(configDelay,
    ///      longDelay) for a loosening (a shorter withdrawal or long delay), SPEC §4.1.
    function _recordChangeQueued(ConfigChange memory c, bytes32 id, uint256 slot, Timings memory t) private {
        bool loosening = (c.action == ConfigAction.SetWithdrawalDelay && c.value < t.withdrawalDelay)
            || (c.action == ConfigAction.SetLongDelay && c.value < t.longDelay);
        uint256 eta = clock + (loosening ? _max(t.configDelay, t.longDelay) : t.configDelay);
        (, uint256 queuedEta, uint256 deadline,) = vault.queueSlot(slot);
        if (queuedEta != eta || deadline != eta + t.executionWindow) {
            _ruleViolation("a delay change was queued with another eta than configDelay (or the long delay)");
        }
        Withdrawal memory none;
        none.nonce = type(uint32).max;
        none.epoch = c.epoch;
        uint256 index = _newOp(none, id, slot, 0);
        _changes[index] = c;
        Op storage op = _ops[index];
        op.config = true;
        op.eta = eta;
        op.deadline = eta + t.executionWindow;
        op.quorum = true;
        op.status = Status.Queued;
        op.queued = true;
        _occupy(slot, index);
        _causeOp(index, OperationState.Queued);
    }

    /// @dev A change of delay `which` for the next configuration nonce of the current epoch.
    function _delayChange(uint256 which, uint256 valueSeed, Timings memory t)
        private
        view
        returns (ConfigChange memory c, bool inBounds)
    {
        (uint32 epoch,,,,,, uint32 nonce) = vault.configuration();
        c.action = _changeableDelay(which);
        c.nonce = nonce;
        c.epoch = epoch;
        (inBounds, c.value) = _delayValue(c.action, t, valueSeed);
    }

    /// @dev M current signers' signatures over `digest`.
    function _signQuorum(bytes32 digest, uint256 signerSeed) private view returns (bytes memory) {
        (, uint256 m,,,,,) = vault.configuration();
        return _sign(_choose(_members(vault.signers()), m, signerSeed), digest);
    }

    /// @dev The delays a change may set here: all but maxFreeze and freezeCooldown.
    function _changeableDelay(uint256 which) private pure returns (ConfigAction) {
        ConfigAction[8] memory actions = [
            ConfigAction.SetWithdrawalDelay,
            ConfigAction.SetConfigDelay,
            ConfigAction.SetExecutionWindow,
            ConfigAction.SetLongDelay,
            ConfigAction.SetCoolOff,
            ConfigAction.SetRecoveryDelay,
            ConfigAction.SetCouncilDelay,
            ConfigAction.SetVetoQuietPeriod
        ];
        return actions[which % actions.length];
    }

    /// @dev A new value for the delay `action` sets: one seed in eight just below or above its
    ///      bounds; otherwise within them, half the time within two days of the lower bound.
    function _delayValue(ConfigAction action, Timings memory t, uint256 seed)
        private
        view
        returns (bool inBounds, uint256 value)
    {
        (uint256 min, uint256 max) = _rules.timingBounds(action, t);
        if (seed % 8 == 0) return (false, (seed >> 8) % 2 == 0 ? min - 1 : max + 1);
        uint256 span = (seed >> 8) % 2 == 0 ? max - min : _min(max - min, 2 days);
        return (true, min + (seed >> 16) % (span + 1));
    }

    /// @dev For three seeds in four, the first recorded delay change from a seeded position on
    ///      that is still queued; otherwise, or if none is, the operation at the seeded position.
    function _pickChange(uint256 seed) private view returns (uint256) {
        uint256 start = seed % _ops.length;
        if ((seed >> 128) % 4 != 0) {
            for (uint256 i = 0; i < _ops.length; ++i) {
                uint256 index = (start + i) % _ops.length;
                if (_ops[index].config && _ops[index].status == Status.Queued) return index;
            }
        }
        return start;
    }

    // =====================================================================================
    // Guardians: veto, freeze; signers: unfreeze
    // =====================================================================================

    /// @notice 1..G guardians veto a recorded withdrawal.
    function veto(uint256 opSeed, uint256 guardianSeed, uint256 countSeed) external tick {
        if (_ops.length == 0) return;
        uint256 index = _pickOp(opSeed, false);
        Op storage op = _ops[index];
        (uint32 guardianEpoch, uint256 g,,) = module.guardianCounts();
        uint256 n = 1 + countSeed % g;
        uint256[] memory chosen = _choose(_members(module.guardians()), n, guardianSeed);
        bytes memory signatures = _sign(chosen, _moduleDigest(OperationHashing.hashVeto(op.id, guardianEpoch)));
        (uint256 level, uint256 required) = _ghostVetoRequirement(g);
        try module.veto(op.id, op.slot, signatures) {
            if (n < required) _ruleViolation("a veto passed below the rate-limited requirement");
            if (op.status != Status.Queued || clock > op.deadline) _ruleViolation("a veto hit a non-queued withdrawal");
            _ghostVetoLevel = level < g ? level + 1 : level;
            _ghostLastVetoAt = clock;
            op.status = Status.Cancelled;
            _causeOp(index, OperationState.Cancelled);
            ++vetoes;
        } catch {}
    }

    /// @notice 1..G guardians freeze withdrawals.
    function freeze(uint256 guardianSeed, uint256 countSeed) external tick {
        (uint32 guardianEpoch, uint256 g, uint256 k,) = module.guardianCounts();
        (,,, uint32 freezeCount,,) = module.guardianStatus();
        uint256 n = 1 + countSeed % g;
        uint256[] memory chosen = _choose(_members(module.guardians()), n, guardianSeed);
        bytes memory signatures = _sign(chosen, _moduleDigest(OperationHashing.hashFreeze(freezeCount, guardianEpoch)));
        try module.freeze(signatures) {
            if (n < k) _ruleViolation("a freeze passed below the guardian threshold");
            if (clock < _ghostNextFreezeAt) _ruleViolation("a freeze started during the cooldown");
            if (_everFrozen) closedFrozen += _min(ghostFrozenUntil, clock) - freezeStart;
            _everFrozen = true;
            freezeStart = clock;
            ghostFrozenUntil = clock + MAX_FREEZE;
            _ghostNextFreezeAt = ghostFrozenUntil + FREEZE_COOLDOWN;
            uint256 until = vault.frozenUntil();
            if (until != ghostFrozenUntil) _ruleViolation("frozenUntil differs from now + maxFreeze");
            if (until - clock > longestFreeze) longestFreeze = until - clock;
            ++freezes;
            _touched = true;
        } catch {}
    }

    /// @notice The signer quorum (mode != 0) or one signer too few (mode 0) lifts the freeze.
    function unfreeze(uint256 signerSeed, uint256 mode) external tick {
        (,,, uint32 freezeCount,,) = module.guardianStatus();
        if (freezeCount == 0) return;
        (uint32 epoch, uint256 m,,,,,) = vault.configuration();
        bool quorum = mode % 3 != 0;
        uint256[] memory chosen = _choose(_members(vault.signers()), quorum ? m : m - 1, signerSeed);
        bytes memory signatures = _sign(chosen, _moduleDigest(OperationHashing.hashUnfreeze(freezeCount - 1, epoch)));
        try module.unfreeze(signatures) {
            if (!quorum) _ruleViolation("an unfreeze without a signer quorum succeeded");
            if (clock >= ghostFrozenUntil) _ruleViolation("an unfreeze succeeded while not frozen");
            ghostFrozenUntil = clock;
            _ghostNextFreezeAt = clock + FREEZE_COOLDOWN;
            _touched = true;
        } catch {}
    }

    // =====================================================================================
    // Recovery
    // =====================================================================================

    /// @notice 1..G guardians queue a recovery to a random set of non-guardian pool keys.
    function queueRecovery(uint256 setSeed, uint256 thresholdSeed, uint256 guardianSeed, uint256 countSeed)
        external
        tick
    {
        uint256[] memory guardians = _members(module.guardians());
        Recovery memory r = _recoveryTo(_complement(guardians), setSeed, thresholdSeed);
        bytes32 id = module.recoveryId(r);
        (, uint256 g, uint256 k,) = module.guardianCounts();
        uint256 n = 1 + countSeed % g;
        try module.queueRecovery(r, _sign(_choose(guardians, n, guardianSeed), id)) {
            if (n < k) _ruleViolation("a recovery was queued below the guardian threshold");
            _recovery = PendingRecovery({
                queued: true,
                id: id,
                eta: clock + _timings().recoveryDelay,
                deadline: clock + _timings().recoveryDelay + _executionWindow(),
                signers: r.signers,
                threshold: r.threshold,
                nonce: r.nonce,
                guardianEpoch: r.guardianEpoch
            });
            _touched = true;
        } catch {}
    }

    /// @notice Anyone executes the pending recovery.
    function executeRecovery() external tick {
        PendingRecovery storage p = _recovery;
        if (!p.queued) return;
        Recovery memory r = Recovery(p.signers, p.threshold, p.nonce, p.guardianEpoch);
        try module.executeRecovery(r) {
            if (clock < p.eta || clock > p.deadline) _ruleViolation("a recovery executed outside its window");
            p.queued = false;
            ++ghostEpoch;
            (Timings memory t,) = vault.timings();
            if (clock + t.coolOff > ghostCoolOffUntil) ghostCoolOffUntil = clock + t.coolOff;
            if (keccak256(abi.encode(vault.signers())) != keccak256(abi.encode(r.signers))) {
                _ruleViolation("the recovered signers differ from the recovery's");
            }
            ++executedRecoveries;
            _touched = true;
        } catch {}
    }

    /// @notice The signer quorum (mode != 0) or one signer too few (mode 0) cancels the pending recovery.
    function cancelRecovery(uint256 signerSeed, uint256 mode) external tick {
        PendingRecovery storage p = _recovery;
        if (!p.queued) return;
        (, uint256 m,,,,,) = vault.configuration();
        bool quorum = mode % 3 != 0;
        uint256[] memory chosen = _choose(_members(vault.signers()), quorum ? m : m - 1, signerSeed);
        try module.cancelRecovery(p.id, _sign(chosen, module.cancellationId(p.id))) {
            if (!quorum) _ruleViolation("a recovery was cancelled without a signer quorum");
            p.queued = false;
            _touched = true;
        } catch {}
    }

    // =====================================================================================
    // Council
    // =====================================================================================

    /// @notice C (mode != 0) or C - 1 (mode 0) members of signers ∪ guardians queue a council
    ///         change replacing the signers (kind 0), the guardians (1) or both (2).
    function queueCouncilChange(uint256 kind, uint256 setSeed, uint256 memberSeed, uint256 mode) external tick {
        uint256[] memory signers = _members(vault.signers());
        uint256[] memory guardians = _members(module.guardians());
        (,,, uint256 council) = module.guardianCounts();
        CouncilChange memory c = _councilChange(kind % 3, setSeed, signers, guardians);
        bool quorum = mode % 3 != 0;
        uint256[] memory voters = _choose(_union(signers, guardians), quorum ? council : council - 1, memberSeed);
        bytes32 id = module.councilChangeId(c);
        try module.queueCouncilChange(c, _sign(voters, id)) {
            if (!quorum) _ruleViolation("a council change was queued below the council threshold");
            _council.queued = true;
            _council.eta = clock + _timings().councilDelay;
            _council.deadline = clock + _timings().councilDelay + _executionWindow();
            _council.change = c;
            _touched = true;
        } catch {}
    }

    /// @dev A recovery to a random set of `candidates` with a random threshold, for the module's
    ///      current recovery nonce and guardian epoch.
    function _recoveryTo(uint256[] memory candidates, uint256 setSeed, uint256 thresholdSeed)
        private
        view
        returns (Recovery memory r)
    {
        uint256 size = 1 + setSeed % _min(MAX_NEW_SIGNERS, candidates.length);
        r.signers = _addresses(_choose(candidates, size, setSeed));
        r.threshold = 1 + thresholdSeed % size;
        (r.guardianEpoch,,,) = module.guardianCounts();
        (,,,, r.nonce,) = module.guardianStatus();
    }

    /// @dev A valid council change of `kind` (0 signers, 1 guardians, 2 both) drawn from `setSeed`:
    ///      new guardians outside the signers, new signers outside the new guardians, thresholds
    ///      within their sets and the smallest council threshold the rules allow.
    function _councilChange(uint256 kind, uint256 setSeed, uint256[] memory signers, uint256[] memory guardians)
        private
        view
        returns (CouncilChange memory c)
    {
        (, uint256 m,,,,,) = vault.configuration();
        (,, uint256 k,) = module.guardianCounts();
        (,,,,, c.nonce) = module.guardianStatus();
        uint256[] memory newGuardians = guardians;
        if (kind != 0) {
            uint256[] memory from = kind == 1 ? _complement(signers) : _pool();
            uint256 size = 1 + setSeed % _min(MAX_NEW_GUARDIANS, from.length - (kind == 2 ? 1 : 0));
            newGuardians = _choose(from, size, setSeed);
            c.guardians = _addresses(newGuardians);
            c.guardianThreshold = 1 + (setSeed >> 128) % size;
            k = c.guardianThreshold;
        }
        uint256 signerCount = signers.length;
        if (kind != 1) {
            uint256[] memory from = _complement(newGuardians);
            uint256 size = 1 + (setSeed >> 64) % _min(MAX_NEW_SIGNERS, from.length);
            c.signers = _addresses(_choose(from, size, setSeed >> 32));
            c.threshold = 1 + (setSeed >> 192) % size;
            (signerCount, m) = (size, c.threshold);
        }
        c.councilThreshold = _max((signerCount + newGuardians.length) / 2 + 1, _max(m, k) + 1);
    }

    /// @notice Anyone executes the pending council change.
    function executeCouncilChange() external tick {
        PendingCouncil storage p = _council;
        if (!p.queued) return;
        CouncilChange memory c = p.change;
        try module.executeCouncilChange(c) {
            if (clock < p.eta || clock > p.deadline) _ruleViolation("a council change executed outside its window");
            p.queued = false;
            if (c.signers.length > 0) ++ghostEpoch;
            _recovery.queued = false;
            if (clock < ghostFrozenUntil) ghostFrozenUntil = clock;
            ++executedCouncils;
            _touched = true;
        } catch {}
    }

    // =====================================================================================
    // Time
    // =====================================================================================

    /// @notice Moves the clock 1 minute to 4 days ahead.
    function warp(uint256 secondsSeed) external {
        clock += 1 minutes + secondsSeed % (4 days);
        vm.warp(clock);
        _observe();
    }

    /// @notice Moves the clock to one second before, at, or one second after a pending eta or the
    ///         end of the freeze (whichever `which` picks), if that is ahead.
    function warpToBoundary(uint256 which, uint256 offsetSeed) external {
        uint256 target;
        which %= 4;
        if (which == 0 && _ops.length > 0) target = _ops[offsetSeed % _ops.length].eta;
        else if (which == 1 && _recovery.queued) target = _recovery.eta;
        else if (which == 2 && _council.queued) target = _council.eta;
        else target = ghostFrozenUntil;
        target = target + (offsetSeed >> 8) % 3;
        if (target > 0) --target;
        if (target > clock) clock = target;
        vm.warp(clock);
        _observe();
    }

    // =====================================================================================
    // Observation after every action: the state machine (P8), queue slots (P9), counters (P6)
    // =====================================================================================

    /// @dev After every action in which a call succeeded or the clock moved (a reverted call
    ///      changes nothing), observes the operations that can still change and the slots whose
    ///      state depends on the clock. What can no longer change without a bug (final operations, the slots they
    ///      or nobody occupy, the nonce and the epoch) the invariants read themselves, after every
    ///      call: observing it here too would double the cost of every action.
    function _observe() private {
        uint256 caused = _cause;
        if (caused == 0 && !_touched && clock == _observedAt) return;
        _touched = false;
        _observedAt = clock;
        // The operation the action moved is observed even if it was settled (a step out of a
        // final state is a violation), then every operation that may still change.
        if (caused != 0) _observeOp(caused - 1);
        for (uint256 i = 0; i < _live.length;) {
            uint256 index = _live[i];
            Op storage op = _ops[index];
            if (index + 1 != caused && !_settled(op, op.seen)) _observeOp(index);
            if (_settled(op, op.seen)) {
                _live[i] = _live[_live.length - 1];
                _live.pop();
            } else {
                ++i;
            }
        }
        for (uint256 slot = 0; slot < SLOTS; ++slot) {
            _observeSlot(slot);
        }
        _cause = 0;
    }

    /// @dev P8: reads the operation's state through `operationState` and checks the step from
    ///      the state observed after the previous action against SPEC §4's state machine.
    function _observeOp(uint256 index) private {
        Op storage op = _ops[index];
        OperationState from = op.seen;
        OperationState to = vault.operationState(op.id, op.slot);
        if (_cause == index + 1) {
            if (to != _causeTo) _stateViolation("an action did not bring its operation to the state it should");
            else if (to != from && !_actionStep(from, to)) _stateViolation("an action made a step SPEC forbids");
        } else if (to != from && !_timeStep(op, from, to)) {
            _stateViolation("an operation changed state without an action that may change it");
        }
        if (!_agreesWithClock(op, to)) _stateViolation("an operation's state disagrees with its eta or deadline");
        op.seen = to;
    }

    /// @dev The steps an action on the operation itself may make (SPEC §4, state machine).
    function _actionStep(OperationState from, OperationState to) private pure returns (bool) {
        if (to == OperationState.Pending) return from == OperationState.Unknown; // propose
        if (to == OperationState.Queued) {
            // M approvals or signatures; a revoked proposal only by signatures
            return from == OperationState.Unknown || from == OperationState.Pending || from == OperationState.Revoked;
        }
        if (to == OperationState.Revoked) return from == OperationState.Pending; // its proposer
        if (to == OperationState.Executed) return from == OperationState.Ready; // only in the window
        if (to == OperationState.Cancelled) {
            // the quorum (any of these) or a veto (queued or ready only, checked by the P1 ghost)
            return from == OperationState.Pending || from == OperationState.Queued || from == OperationState.Ready
                || from == OperationState.Expired;
        }
        return false;
    }

    /// @dev The steps no action on the operation may cause: time (Queued → Ready → Expired) and a
    ///      pending or revoked proposal whose nonce another withdrawal took (→ Unknown). A final or expired
    ///      operation whose slot a later one took reads Unknown (checked in `_occupy`).
    function _timeStep(Op storage op, OperationState from, OperationState to) private view returns (bool) {
        if (to == OperationState.Ready) return from == OperationState.Queued;
        if (to == OperationState.Expired) return from == OperationState.Queued || from == OperationState.Ready;
        return to == OperationState.Unknown && (from == OperationState.Pending || from == OperationState.Revoked)
            && op.w.nonce < ghostNonce;
    }

    /// @dev States that no action of the handler and no passing of time may change any more:
    ///      Executed and Cancelled (final; the P8 invariant re-reads them after every call), a
    ///      displaced operation (Unknown for good), and a proposal whose nonce is used (Unknown).
    function _settled(Op storage op, OperationState seen) private view returns (bool) {
        if (op.evicted || seen == OperationState.Executed || seen == OperationState.Cancelled) return true;
        if (seen != OperationState.Unknown) return false;
        return op.w.nonce < ghostNonce;
    }

    /// @dev Queued only before the eta, Ready only in [eta, deadline], Expired only after the
    ///      deadline (the ghost's eta and deadline, fixed at queue time); Executed only if queued;
    ///      Pending and Revoked only for an on-chain proposal never queued.
    function _agreesWithClock(Op storage op, OperationState state) private view returns (bool) {
        if (state == OperationState.Queued) return op.queued && clock < op.eta;
        if (state == OperationState.Ready) return op.queued && op.eta <= clock && clock <= op.deadline;
        if (state == OperationState.Expired) return op.queued && clock > op.deadline;
        if (state == OperationState.Executed) return op.queued;
        if (state == OperationState.Pending || state == OperationState.Revoked) return op.proposer != 0 && !op.queued;
        return true;
    }

    /// @dev P9, for a slot whose latest operation is queued, ready or expired (the free flag then
    ///      depends on the clock): it holds that operation's id prefix, eta and deadline (fixed at
    ///      queue time), and is free exactly when the operation is expired. Empty slots and slots
    ///      of final operations the P9 invariant reads itself.
    function _observeSlot(uint256 slot) private {
        uint256 occupant = _occupant[slot];
        if (occupant == 0) return;
        Op storage op = _ops[occupant - 1];
        OperationState seen = op.seen;
        if (seen != OperationState.Queued && seen != OperationState.Ready && seen != OperationState.Expired) return;
        (bytes32 prefix, uint256 eta, uint256 deadline, bool free) = vault.queueSlot(slot);
        if (prefix != _prefix(op.id)) _slotViolation("a slot's id prefix is not its latest operation's");
        if (free != (seen == OperationState.Expired)) {
            _slotViolation("a slot is free but its operation live, or the reverse");
        }
        if (eta != op.eta || deadline != op.deadline) {
            _slotViolation("a slot's eta or deadline is not its operation's, fixed at queue time");
        }
    }

    /// @dev Executed, Cancelled and Expired operations leave their slot free (SPEC §4).
    function _frees(OperationState state) private pure returns (bool) {
        return state == OperationState.Executed || state == OperationState.Cancelled
            || state == OperationState.Expired;
    }

    /// @dev The top 184 bits of an id, as a queue slot keeps them.
    function _prefix(bytes32 id) private pure returns (bytes32) {
        return bytes32(uint256(id) & (type(uint256).max << 72));
    }

    // =====================================================================================
    // Views for the invariants
    // =====================================================================================

    /// @notice Time withdrawals have been frozen since START, up to the handler's clock.
    function totalFrozen() external view returns (uint256) {
        if (!_everFrozen) return 0;
        uint256 end = _min(ghostFrozenUntil, clock);
        return closedFrozen + (end > freezeStart ? end - freezeStart : 0);
    }

    function operationCount() external view returns (uint256) {
        return _ops.length;
    }

    /// @notice Operation `index` as the ghost model last observed it (after the latest action).
    function observedOperation(uint256 index)
        external
        view
        returns (bytes32 id, uint256 slot, OperationState seen, bool evicted)
    {
        Op storage op = _ops[index];
        return (op.id, op.slot, op.seen, op.evicted);
    }

    /// @notice The operations last observed Executed or Cancelled and still in their slot (or,
    ///         cancelled while pending, in none): their id, slot and state.
    function finalOperations()
        external
        view
        returns (bytes32[] memory ids, uint256[] memory slots, OperationState[] memory states)
    {
        ids = new bytes32[](_ops.length);
        slots = new uint256[](_ops.length);
        states = new OperationState[](_ops.length);
        uint256 n = 0;
        for (uint256 i = 0; i < _ops.length; ++i) {
            Op storage op = _ops[i];
            if (op.evicted || (op.seen != OperationState.Executed && op.seen != OperationState.Cancelled)) continue;
            (ids[n], slots[n], states[n]) = (op.id, op.slot, op.seen);
            ++n;
        }
        assembly ("memory-safe") {
            mstore(ids, n)
            mstore(slots, n)
            mstore(states, n)
        }
    }

    /// @notice Per queue slot, what the ghost model expects whatever the clock: the id prefix of
    ///         the operation last queued there (zero if none), and whether that operation is final
    ///         (Executed or Cancelled when last observed) or there is none — the slot is then free.
    function slotExpectations() external view returns (bytes32[SLOTS] memory prefixes, bool[SLOTS] memory free) {
        for (uint256 slot = 0; slot < SLOTS; ++slot) {
            uint256 occupant = _occupant[slot];
            if (occupant == 0) {
                free[slot] = true;
                continue;
            }
            Op storage op = _ops[occupant - 1];
            prefixes[slot] = _prefix(op.id);
            free[slot] = op.seen == OperationState.Executed || op.seen == OperationState.Cancelled;
        }
    }

    // =====================================================================================
    // Internal
    // =====================================================================================

    /// @dev The next ETH withdrawal. Proposals pay other recipients than signature-only queues, so
    ///      that a signature set never meets a pending proposal of the same id (whose on-chain
    ///      approvals the vault would add to it, legitimately, unseen by the ghost model).
    function _nextWithdrawal(uint256 amountSeed, uint32 epoch, bool proposal) private view returns (Withdrawal memory) {
        uint256 recipient = amountSeed % 3 + (proposal ? 3 : 0);
        address to = address(uint160(uint256(keccak256(abi.encode("VaultHandler.recipient", recipient)))));
        return Withdrawal(address(0), to, 1 + amountSeed % MAX_AMOUNT, vault.withdrawalNonce(address(0)), epoch);
    }

    /// @dev Records a withdrawal the handler just proposed or queued (not yet queued); returns its index.
    function _newOp(Withdrawal memory w, bytes32 id, uint256 slot, uint256 proposerPlusOne)
        private
        returns (uint256 index)
    {
        index = _ops.length;
        _live.push(index);
        Op storage op = _ops.push();
        op.w = w;
        op.id = id;
        op.slot = slot;
        op.status = Status.Proposed;
        op.proposer = proposerPlusOne;
    }

    /// @dev Records that operation `index` was just queued in its slot: checks its eta against the
    ///      ghost model's delay (P1), consumes its nonce (P6) and takes the slot (P9).
    function _recordQueued(uint256 index, bool quorum) private {
        Op storage op = _ops[index];
        (Timings memory t,) = vault.timings();
        uint256 eta = clock + (clock < ghostCoolOffUntil ? t.longDelay : t.withdrawalDelay);
        (, uint256 queuedEta, uint256 deadline,) = vault.queueSlot(op.slot);
        if (queuedEta != eta || deadline != eta + t.executionWindow) {
            _fundsViolation("a withdrawal was queued with another eta than the ghost model's");
        }
        op.eta = eta;
        op.deadline = eta + t.executionWindow;
        op.quorum = quorum;
        op.status = Status.Queued;
        op.queued = true;
        _useNonce(op.w.nonce);
        _occupy(op.slot, index);
        _causeOp(index, OperationState.Queued);
    }

    /// @dev P6: a nonce is consumed once, in order: it must be the ghost model's next one.
    function _useNonce(uint32 nonce) private {
        if (nonce != ghostNonce) _replayViolation("a withdrawal nonce was consumed out of order or twice");
        ++ghostNonce;
    }

    /// @dev P9: operation `index` now occupies `slot`; the operation it displaced must have been
    ///      final or expired when it was last observed (at this same clock), and reads Unknown now.
    function _occupy(uint256 slot, uint256 index) private {
        uint256 previous = _occupant[slot];
        if (previous != 0) {
            Op storage old = _ops[previous - 1];
            if (!_frees(old.seen)) _slotViolation("a live operation's slot was overwritten");
            old.evicted = true;
            // SPEC §4: a slot remembers only its latest operation; older ids read as Unknown
            // (OperationQueue.operationState), also one whose proposal was revoked before M
            // signatures queued it.
            if (vault.operationState(old.id, old.slot) != OperationState.Unknown) {
                _stateViolation("a displaced operation does not read as Unknown");
            }
            old.seen = OperationState.Unknown;
        }
        _occupant[slot] = index + 1;
    }

    /// @dev P8: operation `index` was moved by the current action and must now read `to`.
    function _causeOp(uint256 index, OperationState to) private {
        _cause = index + 1;
        _causeTo = to;
    }

    /// @dev For three seeds in four, the first recorded withdrawal from a seeded position on that
    ///      is still queued in the current epoch (and, if `ready`, past its eta); otherwise, or if
    ///      none is, the one at the seeded position. Choosing uses the ghost model only; whatever
    ///      is chosen, the contract alone decides what happens.
    function _pickOp(uint256 seed, bool ready) private view returns (uint256) {
        uint256 start = seed % _ops.length;
        if ((seed >> 128) % 4 != 0) {
            for (uint256 i = 0; i < _ops.length; ++i) {
                uint256 index = (start + i) % _ops.length;
                Op storage op = _ops[index];
                if (op.status != Status.Queued || op.w.epoch != ghostEpoch || clock > op.deadline) continue;
                if (ready && (clock < op.eta || op.config)) continue;
                return index;
            }
        }
        return start;
    }

    /// @dev For three seeds in four, the first recorded proposal from a seeded position on that is
    ///      still pending or revoked; otherwise, or if none is, the one at the seeded position.
    function _pickProposal(uint256 seed) private view returns (uint256) {
        uint256 start = seed % _ops.length;
        if ((seed >> 128) % 4 != 0) {
            for (uint256 i = 0; i < _ops.length; ++i) {
                uint256 index = (start + i) % _ops.length;
                Status status = _ops[index].status;
                if (status == Status.Proposed || status == Status.Revoked) return index;
            }
        }
        return start;
    }

    function _ghostVetoRequirement(uint256 g) private view returns (uint256 level, uint256 required) {
        uint256 decayed = (clock - _ghostLastVetoAt) / _timings().vetoQuietPeriod;
        level = _ghostVetoLevel > decayed ? _ghostVetoLevel - decayed : 0;
        required = _min(1 + level, g);
    }

    function _fundsViolation(string memory reason) private {
        if (fundsViolations == 0) firstFundsViolation = reason;
        ++fundsViolations;
    }

    function _ruleViolation(string memory reason) private {
        if (ruleViolations == 0) firstRuleViolation = reason;
        ++ruleViolations;
    }

    function _stateViolation(string memory reason) private {
        if (stateViolations == 0) firstStateViolation = reason;
        ++stateViolations;
    }

    function _slotViolation(string memory reason) private {
        if (slotViolations == 0) firstSlotViolation = reason;
        ++slotViolations;
    }

    function _boundViolation(string memory reason) private {
        if (boundViolations == 0) firstBoundViolation = reason;
        ++boundViolations;
    }

    function _replayViolation(string memory reason) private {
        if (replayViolations == 0) firstReplayViolation = reason;
        ++replayViolations;
    }

    function _moduleDigest(bytes32 structHash) private view returns (bytes32) {
        return MessageHashUtils.toTypedDataHash(_moduleDomain, structHash);
    }

    function _executionWindow() private view returns (uint256 window) {
        (,,,,, window,) = vault.configuration();
    }

    function _timings() private view returns (Timings memory t) {
        (t,) = vault.timings();
    }

    // --- the key pool ------------------------------------------------------------------------

    function _makePool() private {
        for (uint256 i = 0; i < POOL_SIZE; ++i) {
            uint256 key = 1 + uint256(keccak256(abi.encode("VaultHandler.key", i))) % (SECP256K1_ORDER - 1);
            address account = vm.addr(key);
            uint256 at = i;
            while (at > 0 && _poolAddress[at - 1] > account) {
                _poolAddress[at] = _poolAddress[at - 1];
                _poolKey[at] = _poolKey[at - 1];
                --at;
            }
            _poolAddress[at] = account;
            _poolKey[at] = key;
        }
        for (uint256 i = 0; i < POOL_SIZE; ++i) {
            _poolIndex[_poolAddress[i]] = i + 1;
        }
    }

    /// @dev Pool indices of `accounts` (ascending addresses give ascending indices).
    function _members(address[] memory accounts) private view returns (uint256[] memory indices) {
        indices = new uint256[](accounts.length);
        for (uint256 i = 0; i < accounts.length; ++i) {
            uint256 index = _poolIndex[accounts[i]];
            require(index != 0, "member outside the key pool");
            indices[i] = index - 1;
        }
    }

    function _addresses(uint256[] memory indices) private view returns (address[] memory accounts) {
        accounts = new address[](indices.length);
        for (uint256 i = 0; i < indices.length; ++i) {
            accounts[i] = _poolAddress[indices[i]];
        }
    }

    function _pool() private pure returns (uint256[] memory all) {
        all = new uint256[](POOL_SIZE);
        for (uint256 i = 0; i < POOL_SIZE; ++i) {
            all[i] = i;
        }
    }

    /// @dev Pool indices not in the ascending list `taken`.
    function _complement(uint256[] memory taken) private pure returns (uint256[] memory out) {
        out = new uint256[](POOL_SIZE - taken.length);
        uint256 j = 0;
        uint256 n = 0;
        for (uint256 i = 0; i < POOL_SIZE; ++i) {
            if (j < taken.length && taken[j] == i) ++j;
            else out[n++] = i;
        }
    }

    /// @dev The ascending union of two ascending, disjoint index lists.
    function _union(uint256[] memory a, uint256[] memory b) private pure returns (uint256[] memory out) {
        out = new uint256[](a.length + b.length);
        uint256 i = 0;
        uint256 j = 0;
        for (uint256 n = 0; n < out.length; ++n) {
            out[n] = (j == b.length || (i < a.length && a[i] < b[j])) ? a[i++] : b[j++];
        }
    }

    /// @dev `count` distinct entries of `from` chosen by `seed`, in `from`'s (ascending) order.
    function _choose(uint256[] memory from, uint256 count, uint256 seed) private pure returns (uint256[] memory out) {
        if (count > from.length) count = from.length;
        bool[] memory taken = new bool[](from.length);
        for (uint256 picked = 0; picked < count;) {
            uint256 p = uint256(keccak256(abi.encode(seed))) % from.length;
            if (!taken[p]) {
                taken[p] = true;
                ++picked;
            }
            unchecked {
                ++seed; // wraps at 2^256 - 1 (a fuzzed seed) instead of reverting the action
            }
        }
        out = new uint256[](count);
        uint256 n = 0;
        for (uint256 i = 0; i < from.length; ++i) {
            if (taken[i]) out[n++] = from[i];
        }
    }

    /// @dev `chosen` plus one pool key outside `members`, kept ascending.
    function _withIntruder(uint256[] memory chosen, uint256[] memory members, uint256 seed)
        private
        pure
        returns (uint256[] memory out)
    {
        uint256[] memory outsiders = _complement(members);
        uint256 intruder = outsiders[seed % outsiders.length];
        out = new uint256[](chosen.length + 1);
        uint256 j = 0;
        bool placed = false;
        for (uint256 i = 0; i < out.length; ++i) {
            if (!placed && (j == chosen.length || intruder < chosen[j])) {
                out[i] = intruder;
                placed = true;
            } else {
                out[i] = chosen[j++];
            }
        }
    }

    /// @dev Concatenated 65-byte signatures of the pool keys `indices` (ascending) over `digest`.
    function _sign(uint256[] memory indices, bytes32 digest) private view returns (bytes memory signatures) {
        for (uint256 i = 0; i < indices.length; ++i) {
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(_poolKey[indices[i]], digest);
            signatures = bytes.concat(signatures, abi.encodePacked(r, s, v));
        }
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }

    function _max(uint256 a, uint256 b) private pure returns (uint256) {
        return a > b ? a : b;
    }
}
