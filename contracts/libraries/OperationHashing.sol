// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ConfigAction, ConfigChange, Withdrawal} from "../interfaces/IReserveVault.sol";

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

    /// @notice keccak256 of the action's EIP-712 name, e.g. keccak256("addSigner").
    function actionNameHash(ConfigAction action) internal pure returns (bytes32) {
        if (action == ConfigAction.AddSigner) return keccak256("addSigner");
        if (action == ConfigAction.RemoveSigner) return keccak256("removeSigner");
        if (action == ConfigAction.ReplaceSigner) return keccak256("replaceSigner");
        if (action == ConfigAction.SetThreshold) return keccak256("setThreshold");
        if (action == ConfigAction.SetWithdrawalDelay) return keccak256("setWithdrawalDelay");
        if (action == ConfigAction.SetConfigDelay) return keccak256("setConfigDelay");
        return keccak256("setExecutionWindow");
    }
}
