// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ConfigChange} from "./IReserveVault.sol";

/// @title What the vault asks of its guardian module.
/// @notice The calls the vault makes to its GuardianModule; the module's other functions are for users.
/// @dev The module is deployed first; the vault's constructor binds it (first caller wins, and the
///      vault's constructor reverts if it is not that caller). Each side then accepts the calls
///      below only from the other.
interface IGuardianModule {
    /// @notice Guardian epoch, guardian count G, guardian threshold K and council threshold C.
    /// @return guardianEpoch The current guardian epoch.
    /// @return guardianCount G, the number of guardians.
    /// @return guardianThreshold K, the guardian approvals a guardian action needs.
    /// @return councilThreshold C, the approvals of signers and guardians together a council change needs.
    function guardianCounts()
        external
        view
        returns (uint32 guardianEpoch, uint256 guardianCount, uint256 guardianThreshold, uint256 councilThreshold);

    /// @notice Binds the module to the calling vault, once: the vault's constructor calls it.
    function bindVault() external;

    /// @notice Sets the council threshold the vault adjusted after a signer-set change.
    /// @param councilThreshold The new council threshold C (the vault checked it).
    function setCouncilThreshold(uint256 councilThreshold) external;

    /// @notice Applies an executed guardian configuration change the vault has validated
    ///         (addGuardian, removeGuardian, replaceGuardian, setGuardianThreshold, setCouncilThreshold).
    /// @param c The executed change.
    function applyGuardianChange(ConfigChange calldata c) external;
}

/// @title The vault's hooks for its guardian module, and the views the module reads.
/// @notice The vault accepts the hooks only from its bound guardian module; the views are public.
interface IVaultHooks {
    /// @notice Cancels operation `id` queued in `slot` (a guardian veto). Reverts `NotVetoable`
    ///         unless it is queued there and its deadline has not passed.
    /// @param id The operation's id.
    /// @param slot The queue slot that holds it.
    function guardianVeto(bytes32 id, uint256 slot) external;

    /// @notice Sets the time until which withdrawals cannot execute (freeze, unfreeze, council).
    /// @param until The new end of the freeze (now or earlier: not frozen).
    function guardianSetFrozenUntil(uint256 until) external;

    /// @notice Replaces the signer set (recovery or council) and starts a cool-off until
    ///         `coolOffUntil` (0: none); advances the epoch.
    /// @param sortedSigners The new signers, strictly ascending (checked by the module).
    /// @param threshold The new signer threshold M.
    /// @param coolOffUntil The end of the cool-off that follows a recovery (0: none).
    function guardianReplaceSigners(address[] calldata sortedSigners, uint256 threshold, uint256 coolOffUntil)
        external;

    /// @notice Applies a tightening of the withdrawal policy that K guardians approved (`id`: their
    ///         digest, for the event; `c.nonce` is the module's tightening nonce, already used).
    ///         Reverts unless `c` is for the current epoch and tightens.
    /// @param c The tightening change.
    /// @param id The guardians' digest of `c` (in the module's domain), for the event.
    function guardianTighten(ConfigChange calldata c, bytes32 id) external;

    /// @notice The current signers, sorted ascending.
    /// @return The signers.
    function signers() external view returns (address[] memory);

    /// @notice Epoch, M, N, the three signer-side delays and the configuration nonce.
    /// @return epoch The signer epoch.
    /// @return threshold M, the signer approvals an operation needs.
    /// @return signerCount N, the number of signers.
    /// @return withdrawalDelay The normal withdrawal delay, in seconds.
    /// @return configDelay The configuration delay, in seconds.
    /// @return executionWindow How long after its eta an operation may execute, in seconds.
    /// @return configNonce The nonce the next configuration change must carry.
    function configuration()
        external
        view
        returns (
            uint32 epoch,
            uint256 threshold,
            uint256 signerCount,
            uint256 withdrawalDelay,
            uint256 configDelay,
            uint256 executionWindow,
            uint32 configNonce
        );

    /// @notice The delays that guardians, recovery and the council use (seconds).
    /// @return coolOff Length of the cool-off that follows a recovery.
    /// @return recoveryDelay Delay of a recovery.
    /// @return councilDelay Delay of a council change.
    /// @return maxFreeze Length of a freeze.
    /// @return freezeCooldown Time after a freeze ends before the next may start.
    /// @return vetoQuietPeriod Time without a veto after which the veto level falls by one.
    function guardianTimings()
        external
        view
        returns (
            uint256 coolOff,
            uint256 recoveryDelay,
            uint256 councilDelay,
            uint256 maxFreeze,
            uint256 freezeCooldown,
            uint256 vetoQuietPeriod
        );

    /// @notice Until when withdrawals are frozen (0 or a past time: not frozen).
    /// @return The end of the freeze.
    function frozenUntil() external view returns (uint256);
}
