// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ConfigChange} from "./IReserveVault.sol";

/// @title What the vault asks of its guardian module (the module's other functions are for users).
/// @dev The module is deployed first; the vault's constructor binds it (first caller wins, and the
///      vault's constructor reverts if it is not that caller). Each side then accepts the calls
///      below only from the other.
interface IGuardianModule {
    /// @notice Guardian epoch, guardian count G, guardian threshold K and council threshold C.
    function guardianCounts()
        external
        view
        returns (uint32 guardianEpoch, uint256 guardianCount, uint256 guardianThreshold, uint256 councilThreshold);

    /// @notice Binds the module to the calling vault, once: the vault's constructor calls it.
    function bindVault() external;

    /// @notice Sets the council threshold the vault adjusted after a signer-set change.
    function setCouncilThreshold(uint256 councilThreshold) external;

    /// @notice Applies an executed guardian configuration change the vault has validated
    ///         (addGuardian, removeGuardian, replaceGuardian, setGuardianThreshold, setCouncilThreshold).
    function applyGuardianChange(ConfigChange calldata c) external;
}

/// @title The vault's hooks for its guardian module, and the views the module reads.
interface IVaultHooks {
    /// @notice Cancels operation `id` queued in `slot` (a guardian veto). Reverts `NotVetoable`
    ///         unless it is queued there and its deadline has not passed.
    function guardianVeto(bytes32 id, uint256 slot) external;

    /// @notice Sets the time until which withdrawals cannot execute (freeze, unfreeze, council).
    function guardianSetFrozenUntil(uint256 until) external;

    /// @notice Replaces the signer set (recovery or council) and starts a cool-off until
    ///         `coolOffUntil` (0: none); advances the epoch.
    function guardianReplaceSigners(address[] calldata sortedSigners, uint256 threshold, uint256 coolOffUntil)
        external;

    /// @notice Applies a tightening of the withdrawal policy that K guardians approved (`id`: their
    ///         digest, for the event; `c.nonce` is the module's tightening nonce, already used).
    ///         Reverts unless `c` is for the current epoch and tightens.
    function guardianTighten(ConfigChange calldata c, bytes32 id) external;

    /// @notice The current signers, sorted ascending.
    function signers() external view returns (address[] memory);

    /// @notice Epoch, M, N, the three signer-side delays and the configuration nonce.
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
    function frozenUntil() external view returns (uint256);
}
