// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

import {ReserveVault} from "../../contracts/ReserveVault.sol";
import {GuardianModule} from "../../contracts/guardians/GuardianModule.sol";
import {CouncilChange, OutflowLimit, Recovery, Withdrawal} from "../../contracts/interfaces/IReserveVault.sol";
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
    // Configuration: realistic delays (scripts/lib DEFAULT_TIMINGS), 2-of-3 signers, 2-of-3 guardians
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
    uint256 private constant SLOTS = 6;
    uint256 private constant MAX_NEW_SIGNERS = 5;
    uint256 private constant MAX_NEW_GUARDIANS = 4;
    uint256 private constant MAX_AMOUNT = 5 ether;
    uint256 private constant SECP256K1_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    bytes32 private constant EIP712_DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

    ReserveVault public vault;
    GuardianModule public module;
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
        Cancelled
    }

    /// @dev A withdrawal this handler queued, with what the ghost model expects of it.
    struct Op {
        Withdrawal w;
        bytes32 id;
        uint256 slot;
        uint256 eta; //      queue time + the delay the ghost model says applied
        uint256 deadline; // eta + execution window
        bool quorum; //      approved by at least M current signers
        Status status;
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

    Op[] private _ops;
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

    modifier tick() {
        vm.warp(clock);
        _;
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
            new ConfigRules()
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
            _recordQueued(w, id, slot, quorum);
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
        if (m == 1) {
            try vault.queueWithdrawal(w, slot, "") {
                _recordQueued(w, id, slot, true);
            } catch {}
            return;
        }
        for (uint256 i = 1; i < m; ++i) {
            vm.prank(_poolAddress[chosen[i]]);
            try vault.approveWithdrawal(w, slot) returns (bool queued) {
                if (queued != (i == m - 1)) _fundsViolation("an approval below the threshold queued a withdrawal");
                if (queued) _recordQueued(w, id, slot, true);
            } catch {
                return;
            }
        }
    }

    /// @notice Tries to execute a recorded withdrawal now (one in eight with a forged amount): mostly
    ///         one the ghost model thinks is executable, otherwise any.
    function executeWithdrawal(uint256 opSeed, uint256 forgeSeed) external tick {
        if (_ops.length == 0) return;
        Op storage op = _pickOp(opSeed, true);
        Withdrawal memory w = op.w;
        bool forged = forgeSeed % 8 == 0;
        if (forged) w.amount += 1;
        uint256 before = address(vault).balance;
        try vault.executeWithdrawal(w, op.slot) {
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
        Op storage op = _pickOp(opSeed, false);
        (, uint256 m,,,,,) = vault.configuration();
        bool quorum = mode % 3 != 0;
        uint256[] memory chosen = _choose(_members(vault.signers()), quorum ? m : m - 1, signerSeed);
        try vault.cancel(op.id, op.slot, _sign(chosen, vault.cancellationId(op.id))) {
            if (!quorum) _ruleViolation("a cancellation without a signer quorum succeeded");
            if (op.status == Status.Queued) op.status = Status.Cancelled;
        } catch {}
    }

    // =====================================================================================
    // Guardians: veto, freeze; signers: unfreeze
    // =====================================================================================

    /// @notice 1..G guardians veto a recorded withdrawal.
    function veto(uint256 opSeed, uint256 guardianSeed, uint256 countSeed) external tick {
        if (_ops.length == 0) return;
        Op storage op = _pickOp(opSeed, false);
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
                eta: clock + RECOVERY_DELAY,
                deadline: clock + RECOVERY_DELAY + _executionWindow(),
                signers: r.signers,
                threshold: r.threshold,
                nonce: r.nonce,
                guardianEpoch: r.guardianEpoch
            });
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
            if (clock + COOL_OFF > ghostCoolOffUntil) ghostCoolOffUntil = clock + COOL_OFF;
            if (keccak256(abi.encode(vault.signers())) != keccak256(abi.encode(r.signers))) {
                _ruleViolation("the recovered signers differ from the recovery's");
            }
            ++executedRecoveries;
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
            _council.eta = clock + COUNCIL_DELAY;
            _council.deadline = clock + COUNCIL_DELAY + _executionWindow();
            _council.change = c;
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
        } catch {}
    }

    // =====================================================================================
    // Time
    // =====================================================================================

    /// @notice Moves the clock 1 minute to 4 days ahead.
    function warp(uint256 secondsSeed) external {
        clock += 1 minutes + secondsSeed % (4 days);
        vm.warp(clock);
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

    /// @dev Records a queued withdrawal and checks its eta against the ghost model's delay.
    function _recordQueued(Withdrawal memory w, bytes32 id, uint256 slot, bool quorum) private {
        uint256 eta = clock + (clock < ghostCoolOffUntil ? LONG_DELAY : WITHDRAWAL_DELAY);
        (, uint256 queuedEta, uint256 deadline,) = vault.queueSlot(slot);
        if (queuedEta != eta || deadline != eta + EXECUTION_WINDOW) {
            _fundsViolation("a withdrawal was queued with another eta than the ghost model's");
        }
        _ops.push(Op({w: w, id: id, slot: slot, eta: eta, deadline: eta + EXECUTION_WINDOW, quorum: quorum, status: Status.Queued}));
    }

    /// @dev For three seeds in four, the first recorded withdrawal from a seeded position on that
    ///      is still queued in the current epoch (and, if `ready`, past its eta); otherwise, or if
    ///      none is, the one at the seeded position. Choosing uses the ghost model only; whatever
    ///      is chosen, the contract alone decides what happens.
    function _pickOp(uint256 seed, bool ready) private view returns (Op storage) {
        uint256 start = seed % _ops.length;
        if ((seed >> 128) % 4 != 0) {
            for (uint256 i = 0; i < _ops.length; ++i) {
                Op storage op = _ops[(start + i) % _ops.length];
                if (op.status != Status.Queued || op.w.epoch != ghostEpoch || clock > op.deadline) continue;
                if (ready && clock < op.eta) continue;
                return op;
            }
        }
        return _ops[start];
    }

    function _ghostVetoRequirement(uint256 g) private view returns (uint256 level, uint256 required) {
        uint256 decayed = (clock - _ghostLastVetoAt) / VETO_QUIET_PERIOD;
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

    function _moduleDigest(bytes32 structHash) private view returns (bytes32) {
        return MessageHashUtils.toTypedDataHash(_moduleDomain, structHash);
    }

    function _executionWindow() private view returns (uint256 window) {
        (,,,,, window,) = vault.configuration();
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
        for (uint256 picked = 0; picked < count; ++seed) {
            uint256 p = uint256(keccak256(abi.encode(seed))) % from.length;
            if (!taken[p]) {
                taken[p] = true;
                ++picked;
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
