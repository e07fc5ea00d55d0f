// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

/// @title Types shared by the vault, its libraries and its tooling.
/// @dev The EIP-712 structs signers sign are exactly these calldata structs, except that a
///      `ConfigChange.action` is signed as its human-readable name (see `OperationHashing`).

/// @notice What a configuration change does. The EIP-712 `action` string is the camelCase name.
enum ConfigAction {
    AddSigner, //            "addSigner":            account joins; value = new threshold
    RemoveSigner, //         "removeSigner":         account leaves; value = new threshold
    ReplaceSigner, //        "replaceSigner":        account is replaced by `replacement`
    SetThreshold, //         "setThreshold":         value = new threshold
    SetWithdrawalDelay, //   "setWithdrawalDelay":   value = seconds
    SetConfigDelay, //       "setConfigDelay":       value = seconds
    SetExecutionWindow, //   "setExecutionWindow":   value = seconds
    AddGuardian, //          "addGuardian":          account joins the guardians; value = new guardian threshold
    RemoveGuardian, //       "removeGuardian":       account leaves; value = new guardian threshold
    ReplaceGuardian, //      "replaceGuardian":      account is replaced by `replacement`
    SetGuardianThreshold, // "setGuardianThreshold": value = new guardian threshold
    SetCouncilThreshold, //  "setCouncilThreshold":  value = new council threshold
    SetLongDelay, //         "setLongDelay":         value = seconds
    SetCoolOff, //           "setCoolOff":           value = seconds
    SetRecoveryDelay, //     "setRecoveryDelay":     value = seconds
    SetCouncilDelay, //      "setCouncilDelay":      value = seconds
    SetMaxFreeze, //         "setMaxFreeze":         value = seconds
    SetFreezeCooldown, //    "setFreezeCooldown":    value = seconds
    SetVetoQuietPeriod, //   "setVetoQuietPeriod":   value = seconds
    SetOutflowLimit, //      "setOutflowLimit":      account = asset (address(0) = ETH); value = limit per period
    AllowDestination, //     "allowDestination":     account joins the destination allowlist
    DisallowDestination, //  "disallowDestination":  account leaves the destination allowlist
    SetAllowlistEnabled //   "setAllowlistEnabled":  value = 1 (on) or 0 (off)
}

/// @notice Why a withdrawal gets the delay it gets (docs/SPEC.md §4.1): the first rule that applies.
enum DelayReason {
    WithinLimit, //      normal withdrawal delay: allowed destination, within the asset's outflow limit
    OverLimit, //        long delay: the asset's outflow in the withdrawal's period would exceed its limit
    UnknownDestination, // long delay: the allowlist is on and the destination is not on it
    RecoveryCoolOff //   long delay: queued during the cool-off that follows a recovery
}

/// @notice Every delay, in seconds (docs/SPEC.md §5).
struct Timings {
    uint256 withdrawalDelay;
    uint256 configDelay;
    uint256 executionWindow;
    uint256 longDelay;
    uint256 coolOff;
    uint256 recoveryDelay;
    uint256 councilDelay;
    uint256 maxFreeze;
    uint256 freezeCooldown;
    uint256 vetoQuietPeriod;
}

/// @notice The vault's configuration of the moment, as ConfigRules checks a change against it.
struct RulesSnapshot {
    uint256 threshold;
    uint256 guardianThreshold;
    uint256 councilThreshold;
    bool allowlistEnabled;
    uint256 assetLimit; //    the current outflow limit of the change's `account` (SetOutflowLimit)
    Timings timings;
    address[] signers; //     sorted
    address[] guardians; //   sorted
    address[] allowlist; //   sorted
}

/// @notice What a valid configuration change does to how fast funds can leave (docs/SPEC.md §4.1).
enum ChangeEffect {
    Neutral, //    waits the configuration delay
    Tightening, // lowers a limit, removes an allowlist entry, turns the allowlist on: applies at once
    Loosening //   raises a limit, allows a destination, turns the allowlist off, shortens the
    //             withdrawal or long delay: waits max(configuration delay, long delay)
}

/// @notice An asset's outflow limit per period, as the constructor takes it.
struct OutflowLimit {
    address asset;
    uint256 limit;
}

/// @notice Move `amount` of `asset` (address(0) = ETH) to `to`.
/// @dev `nonce` is the asset's next withdrawal nonce when the withdrawal is queued; `epoch` the
///      membership epoch it was approved under. Never stored: a calldata struct whose field order
///      is the EIP-712 type's, so gas-struct-packing does not apply.
struct Withdrawal { // solhint-disable-line gas-struct-packing
    address asset;
    address to;
    uint256 amount;
    uint32 nonce;
    uint32 epoch;
}

/// @notice Change the vault's own configuration. Fields that an action does not use must be zero.
/// @dev Never stored: a calldata struct whose field order is the EIP-712 type's (gas-struct-packing
///      does not apply).
struct ConfigChange { // solhint-disable-line gas-struct-packing
    ConfigAction action;
    address account;
    address replacement;
    uint256 value;
    uint32 nonce;
    uint32 epoch;
}

/// @notice Guardians propose a new signer set and threshold after key loss (the OKEx case).
/// @dev `signers` strictly ascending; `nonce` is the vault's next recovery nonce; `guardianEpoch`
///      the guardian membership epoch it was signed under.
struct Recovery {
    address[] signers;
    uint256 threshold;
    uint32 nonce;
    uint32 guardianEpoch;
}

/// @notice The council (signers and guardians together) replaces signers and/or guardians.
/// @dev An empty array keeps that group (its threshold must then be 0). Arrays strictly ascending.
struct CouncilChange {
    address[] signers;
    uint256 threshold;
    address[] guardians;
    uint256 guardianThreshold;
    uint256 councilThreshold;
    uint32 nonce;
}

/// @notice A key's signed proof of liveness at time `at` (≤ now when recorded).
struct Heartbeat {
    address key;
    uint40 at;
    bytes signature;
}

/// @notice The state of an operation, derived from its queue slot, its proposal record and the clock.
enum OperationState {
    Unknown, //   nothing on-chain (maybe signed off-chain, never submitted)
    Pending, //   proposed on-chain, approvals below threshold
    Queued, //    approved by the quorum, waiting for its eta
    Ready, //     eta reached, executable until eta + executionWindow
    Expired, //   the execution window passed without execution
    Executed, //  final
    Cancelled, // final: cancelled by the signer quorum
    Revoked //    its proposer withdrew the proposal; M signatures may still queue it
}

/// @title Errors of the vault and its guardian module.
/// @notice Each is named for the rule that was broken and carries the values involved.
interface IReserveVaultErrors {
    // --- membership and configuration rules ---
    error SignerCountOutOfRange(uint256 count, uint256 max);
    error ThresholdOutOfRange(uint256 threshold, uint256 signerCount);
    error SignerIsZeroAddress();
    error SignerAlreadyMember(address signer);
    error SignerNotMember(address account);
    error DelayOutOfRange(ConfigAction action, uint256 value, uint256 min, uint256 max);
    error UnusedFieldNotZero(ConfigAction action);
    error OutflowLimitTooLarge(uint256 limit, uint256 max);
    error OutflowPeriodOutOfRange(uint256 period, uint256 min, uint256 max);
    error DestinationIsZeroAddress();
    error DestinationAlreadyAllowed(address destination);
    error DestinationNotAllowed(address destination);
    error AllowlistFull(uint256 max);
    error AllowlistFlagInvalid(uint256 value);
    error AllowlistUnchanged(bool enabled);
    error NotATightening(ConfigAction action);

    // --- approvals ---
    error CallerNotSigner(address caller);
    error CallerNotProposer(address caller, address proposer);
    error AlreadyApproved(bytes32 id, address signer);
    error SignaturesLengthInvalid(uint256 length);
    error SignatureInvalid(uint256 index);
    error SignatureNotFromSigner(uint256 index, address recovered);
    error SignatureDuplicated(uint256 index, address signer);
    error SignaturesNotAscending(uint256 index, address signer, address previous);
    error ThresholdNotMet(uint256 required, uint256 valid);

    // --- operation lifecycle ---
    error EpochMismatch(uint32 given, uint32 current);
    error NonceMismatch(uint32 given, uint32 expected);
    error ProposalAlreadyExists(bytes32 id);
    error ProposalNotPending(bytes32 id);
    error QueueSlotOccupied(uint256 slot);
    error OperationNotQueued(bytes32 id, uint256 slot);
    error OperationNotReady(bytes32 id, uint256 eta, uint256 now_);
    error OperationExpired(bytes32 id, uint256 deadline, uint256 now_);
    error NothingToCancel(bytes32 id, uint256 slot);
    error NonceNotNext(uint32 nonce, uint32 next);
    error NothingToRelease(bytes32 id, uint256 slot);

    // --- guardians, freeze, recovery, council ---
    error GuardianCountOutOfRange(uint256 count, uint256 max);
    error GuardianThresholdOutOfRange(uint256 threshold, uint256 guardianCount);
    error GuardianIsZeroAddress();
    error GuardianAlreadyMember(address guardian);
    error GuardianNotMember(address account);
    error GuardianIsSigner(address account);
    error CouncilThresholdOutOfRange(uint256 councilThreshold, uint256 min, uint256 max);
    error MembersNotAscending(uint256 index);
    error GuardianEpochMismatch(uint32 given, uint32 current);
    error VetoThresholdNotMet(uint256 required, uint256 valid);
    error NotVetoable(bytes32 id, uint256 slot);
    error WithdrawalsFrozen(uint256 until);
    error FreezeCoolingDown(uint256 availableAt);
    error NotFrozen();
    error RecoveryAlreadyPending(bytes32 id);
    error RecoveryNotQueued(bytes32 id);
    error CouncilChangeNotQueued(bytes32 id);
    error CouncilChangeEmpty();
    error CallerNotVault(address caller);
    error CallerNotGuardianModule(address caller);
    error UnusedCouncilField();
    error CallerNotKeyHolder(address caller);
    error HeartbeatInFuture(address key, uint256 at);
    error HeartbeatSignatureInvalid(uint256 index);

    // --- withdrawals ---
    error WithdrawalToZeroAddress();
    error WithdrawalAmountZero();
    error EthTransferFailed(address to, uint256 amount);
    error WithdrawalNonceExhausted();
}

/// @title Events of the vault and its guardian module.
/// @notice One per state change, past tense; a withdrawal's content in full when it is proposed and
///         queued.
/// @dev Ids and addresses are indexed; amounts, thresholds, epochs and times are not (indexing
///      them costs gas on every emission and nobody filters by them).
interface IReserveVaultEvents {
    /// @notice A signer proposed a withdrawal on-chain (its proposal counts as its approval).
    /// @param id The withdrawal's id (its EIP-712 digest).
    /// @param proposer The proposing signer.
    /// @param asset The asset to move (address(0) = ETH).
    /// @param to The recipient.
    /// @param amount The amount to move.
    /// @param nonce The asset's withdrawal nonce the withdrawal carries.
    event WithdrawalProposed(
        bytes32 indexed id, address indexed proposer, address indexed asset, address to, uint256 amount, uint32 nonce
    );
    /// @notice A signer proposed a configuration change on-chain (its proposal counts as its approval).
    /// @param id The change's id (its EIP-712 digest).
    /// @param proposer The proposing signer.
    /// @param change The change, in full.
    event ConfigChangeProposed(bytes32 indexed id, address indexed proposer, ConfigChange change);
    /// @notice A signer's first on-chain approval of a cancellation opened it.
    /// @param id The cancellation's id (EIP-712 digest of `Cancellation(operation, epoch)`).
    /// @param proposer The signer who opened it.
    /// @param operation The id of the operation to cancel.
    event CancellationProposed(bytes32 indexed id, address indexed proposer, bytes32 indexed operation);
    /// @notice A signer approved an operation on-chain.
    /// @param id The operation's id.
    /// @param signer The approving signer.
    /// @param approvals The on-chain approval count after this one.
    event OperationApproved(bytes32 indexed id, address indexed signer, uint256 approvals);
    /// @notice The proposer withdrew its pending proposal.
    /// @param id The proposal's id.
    /// @param proposer The proposer (the caller).
    event ProposalRevoked(bytes32 indexed id, address indexed proposer);

    /// @notice A withdrawal reached the quorum and entered the timelock.
    /// @param id The withdrawal's id.
    /// @param asset The asset to move (address(0) = ETH).
    /// @param to The recipient.
    /// @param amount The amount to move.
    /// @param nonce The asset's withdrawal nonce it used.
    /// @param slot The queue slot it occupies.
    /// @param eta The time from which anyone may execute it.
    event WithdrawalQueued(
        bytes32 indexed id,
        address indexed asset,
        address indexed to,
        uint256 amount,
        uint32 nonce,
        uint256 slot,
        uint256 eta
    );
    /// @notice A configuration change reached the quorum and entered the timelock.
    /// @param id The change's id.
    /// @param change The change, in full.
    /// @param slot The queue slot it occupies.
    /// @param eta The time from which anyone may execute it.
    event ConfigChangeQueued(bytes32 indexed id, ConfigChange change, uint256 slot, uint256 eta);
    /// @notice A queued withdrawal was executed and its transfer made.
    /// @dev The id alone: {WithdrawalQueued} (same id) carries the content, and an ERC-20 transfer
    ///      its own Transfer event. Repeating asset, recipient and amount here cost ~1,000 gas per
    ///      withdrawal (docs/BENCHMARK.md, docs/SPEC.md §9).
    /// @param id The withdrawal's id.
    event WithdrawalExecuted(bytes32 indexed id);
    /// @notice A queued configuration change was executed (its own events follow).
    /// @param id The change's id.
    /// @param action What the change did.
    event ConfigChangeExecuted(bytes32 indexed id, ConfigAction indexed action);
    /// @notice An operation was cancelled: by the signer quorum, or vetoed by the guardians.
    /// @param id The operation's id.
    /// @param slot The queue slot it was cancelled in (a pending proposal: the slot given).
    event OperationCancelled(bytes32 indexed id, uint256 slot);

    /// @notice `signer` joined the signer set.
    /// @param signer The new signer.
    event SignerAdded(address indexed signer);
    /// @notice `signer` left the signer set.
    /// @param signer The former signer.
    event SignerRemoved(address indexed signer);
    /// @notice The signer threshold M changed.
    /// @param oldThreshold M before.
    /// @param newThreshold M after.
    event ThresholdChanged(uint256 oldThreshold, uint256 newThreshold);
    /// @notice The signer epoch advanced: every operation approved under the old one is dead.
    /// @param oldEpoch The epoch before.
    /// @param newEpoch The epoch after.
    event EpochAdvanced(uint32 oldEpoch, uint32 newEpoch);
    /// @notice A delay changed.
    /// @param action The delay-setting action that changed it (names the delay).
    /// @param oldValue The delay before, in seconds.
    /// @param newValue The delay after, in seconds.
    event DelayChanged(ConfigAction indexed action, uint256 oldValue, uint256 newValue);
    /// @notice An asset's outflow limit per period changed.
    /// @param asset The asset (address(0) = ETH).
    /// @param oldLimit The limit before.
    /// @param newLimit The limit after.
    event OutflowLimitChanged(address indexed asset, uint256 oldLimit, uint256 newLimit);
    /// @notice A destination joined or left the allowlist.
    /// @param destination The destination.
    /// @param wasAllowed Whether it was on the allowlist before.
    /// @param isAllowed Whether it is on the allowlist now.
    event AllowlistEntryChanged(address indexed destination, bool wasAllowed, bool isAllowed);
    /// @notice The allowlist was turned on or off.
    /// @param wasEnabled Whether it was on before.
    /// @param isEnabled Whether it is on now.
    event AllowlistEnabledChanged(bool wasEnabled, bool isEnabled);
    /// @notice A tightening of the withdrawal policy applied at once (no timelock).
    /// @param id The id of the change (the signers' config change, or the guardians' digest).
    /// @param action What it tightened.
    /// @param byGuardians Whether the guardian quorum made it (else the signer quorum).
    event Tightened(bytes32 indexed id, ConfigAction indexed action, bool byGuardians);
    /// @notice A counted withdrawal that can no longer execute gave its outflow share back.
    /// @param id The withdrawal's id.
    /// @param asset Its asset.
    /// @param amount The amount returned to the asset's period (0 if that period has passed).
    event OutflowReleased(bytes32 indexed id, address indexed asset, uint256 amount);

    /// @notice `guardian` joined the guardian set.
    /// @param guardian The new guardian.
    event GuardianAdded(address indexed guardian);
    /// @notice `guardian` left the guardian set.
    /// @param guardian The former guardian.
    event GuardianRemoved(address indexed guardian);
    /// @notice The guardian threshold K changed.
    /// @param oldThreshold K before.
    /// @param newThreshold K after.
    event GuardianThresholdChanged(uint256 oldThreshold, uint256 newThreshold);
    /// @notice The council threshold C changed.
    /// @param oldThreshold C before.
    /// @param newThreshold C after.
    event CouncilThresholdChanged(uint256 oldThreshold, uint256 newThreshold);
    /// @notice The guardian epoch advanced: guardian signatures made under the old one are void.
    /// @param oldEpoch The guardian epoch before.
    /// @param newEpoch The guardian epoch after.
    event GuardianEpochAdvanced(uint32 oldEpoch, uint32 newEpoch);
    /// @notice The guardians vetoed a queued operation (the vault emits {OperationCancelled}).
    /// @param id The operation's id.
    /// @param slot The vault's queue slot that held it.
    /// @param approvals The guardian approvals counted.
    /// @param required The approvals the veto needed at the veto level of the moment.
    event OperationVetoed(bytes32 indexed id, uint256 slot, uint256 approvals, uint256 required);
    /// @notice The veto level (the current streak of vetoes, after decay) changed.
    /// @param oldLevel The level before this veto (after decay).
    /// @param newLevel The level after it.
    event VetoLevelChanged(uint256 oldLevel, uint256 newLevel);
    /// @notice The guardian quorum froze withdrawal execution.
    /// @param until The time the freeze ends by itself.
    /// @param nextFreezeAt The earliest time of the next freeze (end plus cooldown).
    /// @param approvals The guardian approvals counted.
    event Frozen(uint256 until, uint256 nextFreezeAt, uint256 approvals);
    /// @notice The freeze was lifted early (by the signer quorum or a council change).
    /// @param at The time it was lifted.
    event Unfrozen(uint256 at);
    /// @notice The guardian quorum queued a recovery of the signer set.
    /// @param id The recovery's id (EIP-712 digest in the module's domain).
    /// @param signers The new signers, ascending.
    /// @param threshold The new signer threshold.
    /// @param eta The time from which anyone may execute it.
    event RecoveryQueued(bytes32 indexed id, address[] signers, uint256 threshold, uint256 eta);
    /// @notice A recovery was executed: the signers were replaced.
    /// @param id The recovery's id.
    /// @param coolOffUntil The end of the cool-off during which new withdrawals wait the long delay.
    event RecoveryExecuted(bytes32 indexed id, uint256 coolOffUntil);
    /// @notice A pending recovery was cancelled (by the signer quorum or a council change).
    /// @param id The recovery's id.
    event RecoveryCancelled(bytes32 indexed id);
    /// @notice The council queued a change of signers and/or guardians.
    /// @param id The council change's id (EIP-712 digest in the module's domain).
    /// @param change The change, in full.
    /// @param approvals The council approvals counted.
    /// @param eta The time from which anyone may execute it.
    event CouncilChangeQueued(bytes32 indexed id, CouncilChange change, uint256 approvals, uint256 eta);
    /// @notice A council change was executed.
    /// @param id The council change's id.
    event CouncilChangeExecuted(bytes32 indexed id);
    /// @notice A pending council change was replaced by a newer one.
    /// @param id The superseded council change's id.
    event CouncilChangeSuperseded(bytes32 indexed id);
    /// @notice A signer or guardian proved it holds its key.
    /// @param key The key.
    /// @param at The time of the proof: now for an on-chain heartbeat, its own time for a signed one.
    event KeySeen(address indexed key, uint256 at);
    /// @notice The time until which withdrawals cannot execute changed.
    /// @param oldUntil The time before.
    /// @param newUntil The time after.
    event FrozenUntilChanged(uint256 oldUntil, uint256 newUntil);
    /// @notice A recovery cool-off started: withdrawals queued before `until` wait the long delay.
    /// @param until The end of the cool-off.
    event CoolOffStarted(uint256 until);
    /// @notice The guardian module was bound to its vault.
    /// @param vault The vault.
    event VaultBound(address indexed vault);
    /// @notice ETH was deposited.
    /// @param from The sender.
    /// @param amount The amount, in wei.
    event Deposited(address indexed from, uint256 amount);
}
