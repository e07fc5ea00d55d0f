// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ConfigAction, ConfigChange, CouncilChange, Recovery, Withdrawal} from "../interfaces/IReserveVault.sol";

/// @title EIP-712 struct hashes of the vault's operations.
/// @notice Every field a signer approves is a plain, displayable value (asset, to, amount, action
///         name …), so a hardware wallet shows what is signed instead of an opaque hash.
/// @dev The off-chain twin is `scripts/lib/typed-data.ts`; `test/vault/digest.test.ts` checks both
///      agree on random operations.
library OperationHashing {
    bytes32 internal constant WITHDRAWAL_TYPEHASH =
        keccak256("Withdrawal(address asset,address to,uint256 amount,uint32 nonce,uint32 epoch)");

    bytes32 internal constant CONFIG_CHANGE_TYPEHASH = keccak256(
        "ConfigChange(string action,address account,address replacement,uint256 value,uint32 nonce,uint32 epoch)"
    );

    bytes32 internal constant CANCELLATION_TYPEHASH = keccak256("Cancellation(bytes32 operation,uint32 epoch)");

    bytes32 internal constant VETO_TYPEHASH = keccak256("Veto(bytes32 operation,uint32 guardianEpoch)");

    bytes32 internal constant FREEZE_TYPEHASH = keccak256("Freeze(uint32 nonce,uint32 guardianEpoch)");

    bytes32 internal constant UNFREEZE_TYPEHASH = keccak256("Unfreeze(uint32 nonce,uint32 epoch)");

    bytes32 internal constant RECOVERY_TYPEHASH =
        keccak256("Recovery(address[] signers,uint256 threshold,uint32 nonce,uint32 guardianEpoch)");

    bytes32 internal constant COUNCIL_CHANGE_TYPEHASH = keccak256(
        "CouncilChange(address[] signers,uint256 threshold,address[] guardians,uint256 guardianThreshold,uint256 councilThreshold,uint32 nonce)"
    );

    bytes32 internal constant HEARTBEAT_TYPEHASH = keccak256("Heartbeat(address key,uint40 at)");

    /// @notice The EIP-712 struct hash of a withdrawal.
    function hash(Withdrawal calldata w) internal pure returns (bytes32) {
        return keccak256(abi.encode(WITHDRAWAL_TYPEHASH, w.asset, w.to, w.amount, w.nonce, w.epoch));
    }

    /// @notice The EIP-712 struct hash of a configuration change; `action` is hashed as its name.
    function hash(ConfigChange calldata c) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                CONFIG_CHANGE_TYPEHASH, actionNameHash(c.action), c.account, c.replacement, c.value, c.nonce, c.epoch
            )
        );
    }

    /// @notice The EIP-712 struct hash of a cancellation of operation `operation`.
    function hashCancellation(bytes32 operation, uint32 epoch) internal pure returns (bytes32) {
        return keccak256(abi.encode(CANCELLATION_TYPEHASH, operation, epoch));
    }

    /// @notice The EIP-712 struct hash of a guardian veto of `operation`.
    function hashVeto(bytes32 operation, uint32 guardianEpoch) internal pure returns (bytes32) {
        return keccak256(abi.encode(VETO_TYPEHASH, operation, guardianEpoch));
    }

    /// @notice The EIP-712 struct hash of freeze number `nonce`.
    function hashFreeze(uint32 nonce, uint32 guardianEpoch) internal pure returns (bytes32) {
        return keccak256(abi.encode(FREEZE_TYPEHASH, nonce, guardianEpoch));
    }

    /// @notice The EIP-712 struct hash of lifting freeze number `nonce`.
    function hashUnfreeze(uint32 nonce, uint32 epoch) internal pure returns (bytes32) {
        return keccak256(abi.encode(UNFREEZE_TYPEHASH, nonce, epoch));
    }

    /// @notice The EIP-712 struct hash of a recovery; arrays hash as EIP-712 prescribes.
    function hash(Recovery calldata r) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                RECOVERY_TYPEHASH, keccak256(abi.encodePacked(r.signers)), r.threshold, r.nonce, r.guardianEpoch
            )
        );
    }

    /// @notice The EIP-712 struct hash of a council change.
    function hash(CouncilChange calldata c) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                COUNCIL_CHANGE_TYPEHASH,
                keccak256(abi.encodePacked(c.signers)),
                c.threshold,
                keccak256(abi.encodePacked(c.guardians)),
                c.guardianThreshold,
                c.councilThreshold,
                c.nonce
            )
        );
    }

    /// @notice The EIP-712 struct hash of `key`'s heartbeat at `at`.
    function hashHeartbeat(address key, uint40 at) internal pure returns (bytes32) {
        return keccak256(abi.encode(HEARTBEAT_TYPEHASH, key, at));
    }

    /// @notice keccak256 of the action's EIP-712 name, e.g. keccak256("addSigner").
    function actionNameHash(ConfigAction action) internal pure returns (bytes32) {
        return keccak256(bytes(actionName(action)));
    }

    /// @notice The action's EIP-712 name.
    function actionName(ConfigAction action) internal pure returns (string memory) {
        string[19] memory names = [
            "addSigner",
            "removeSigner",
            "replaceSigner",
            "setThreshold",
            "setWithdrawalDelay",
            "setConfigDelay",
            "setExecutionWindow",
            "addGuardian",
            "removeGuardian",
            "replaceGuardian",
            "setGuardianThreshold",
            "setCouncilThreshold",
            "setLongDelay",
            "setCoolOff",
            "setRecoveryDelay",
            "setCouncilDelay",
            "setMaxFreeze",
            "setFreezeCooldown",
            "setVetoQuietPeriod"
        ];
        return names[uint256(action)];
    }
}
