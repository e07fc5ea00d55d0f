// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ConfigAction, ConfigChange, CouncilChange, Recovery, Withdrawal} from "../interfaces/IReserveVault.sol";

/// @title EIP-712 struct hashes of the vault's operations.
/// @notice Every field a signer approves is a plain, displayable value (asset, to, amount, action
///         name …), so a hardware wallet shows what is signed instead of an opaque hash.
/// @dev The off-chain twin is `scripts/lib/typed-data.ts`; `test/vault/digest.test.ts` checks both
///      agree on random operations.
library OperationHashing {
    // EIP-712 type strings are as long as their types: gas-small-strings cannot apply (and they
    // are hashed at compile time).
    // solhint-disable gas-small-strings
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
    // solhint-enable gas-small-strings

    /// @notice The EIP-712 struct hash of a withdrawal.
    /// @param w The withdrawal.
    /// @return The struct hash.
    function hash(Withdrawal calldata w) internal pure returns (bytes32) {
        return keccak256(abi.encode(WITHDRAWAL_TYPEHASH, w.asset, w.to, w.amount, w.nonce, w.epoch));
    }

    /// @notice The EIP-712 struct hash of a configuration change; `action` is hashed as its name.
    /// @param c The configuration change.
    /// @return The struct hash.
    function hash(ConfigChange calldata c) internal pure returns (bytes32) {
        return hash(c, actionNameHash(c.action));
    }

    /// @notice As above, with keccak256 of the action's name given (the vault asks ConfigRules,
    ///         which holds the names' table, to keep its own code small).
    /// @param c The configuration change.
    /// @param nameHash keccak256 of its action's name.
    /// @return The struct hash.
    function hash(ConfigChange calldata c, bytes32 nameHash) internal pure returns (bytes32) {
        return keccak256(abi.encode(CONFIG_CHANGE_TYPEHASH, nameHash, c.account, c.replacement, c.value, c.nonce, c.epoch));
    }

    /// @notice The EIP-712 struct hash of a cancellation of operation `operation`.
    /// @param operation The id of the operation to cancel.
    /// @param epoch The signer epoch.
    /// @return The struct hash.
    function hashCancellation(bytes32 operation, uint32 epoch) internal pure returns (bytes32) {
        return keccak256(abi.encode(CANCELLATION_TYPEHASH, operation, epoch));
    }

    /// @notice The EIP-712 struct hash of a guardian veto of `operation`.
    /// @param operation The id of the operation to veto.
    /// @param guardianEpoch The guardian epoch.
    /// @return The struct hash.
    function hashVeto(bytes32 operation, uint32 guardianEpoch) internal pure returns (bytes32) {
        return keccak256(abi.encode(VETO_TYPEHASH, operation, guardianEpoch));
    }

    /// @notice The EIP-712 struct hash of freeze number `nonce`.
    /// @param nonce The freeze's number (freezes started before it).
    /// @param guardianEpoch The guardian epoch.
    /// @return The struct hash.
    function hashFreeze(uint32 nonce, uint32 guardianEpoch) internal pure returns (bytes32) {
        return keccak256(abi.encode(FREEZE_TYPEHASH, nonce, guardianEpoch));
    }

    /// @notice The EIP-712 struct hash of lifting freeze number `nonce`.
    /// @param nonce The number of the freeze to lift.
    /// @param epoch The signer epoch.
    /// @return The struct hash.
    function hashUnfreeze(uint32 nonce, uint32 epoch) internal pure returns (bytes32) {
        return keccak256(abi.encode(UNFREEZE_TYPEHASH, nonce, epoch));
    }

    /// @notice The EIP-712 struct hash of a recovery; arrays hash as EIP-712 prescribes.
    /// @param r The recovery.
    /// @return The struct hash.
    function hash(Recovery calldata r) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                RECOVERY_TYPEHASH, keccak256(abi.encodePacked(r.signers)), r.threshold, r.nonce, r.guardianEpoch
            )
        );
    }

    /// @notice The EIP-712 struct hash of a council change.
    /// @param c The council change.
    /// @return The struct hash.
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
    /// @param key The key proving liveness.
    /// @param at The time of the heartbeat.
    /// @return The struct hash.
    function hashHeartbeat(address key, uint40 at) internal pure returns (bytes32) {
        return keccak256(abi.encode(HEARTBEAT_TYPEHASH, key, at));
    }

    /// @dev keccak256 of each action's name ({actionName}), in ConfigAction order, 32 bytes each:
    ///      one table in code instead of the names themselves, which cost ~2.8 KB of the vault's
    ///      bytecode where they were inlined. test/fuzz/ActionNames.t.sol checks every entry.
    bytes internal constant ACTION_NAME_HASHES =
        hex"b22df1c65be7640c269807229439cd742aefe2fd50addbfb087127be9df8a52f" // addSigner
        hex"1a2c0ad34ff2e9ac8b0de40c5cff93b0dc8e4312470ffd0939b1f2216fdc7c61" // removeSigner
        hex"f978089deb92d936fd21bcb6493dc6f8ed75f9b1edeed9dca2c7708bc0aedc97" // replaceSigner
        hex"1437a29f2eaf46f4bf66c6b83aa0bb26563c3bb0e5231cb57210e79bd8de64b9" // setThreshold
        hex"c65b81027de08225aac366b87c3e247f270be862dd5e6a5a31d3591efce1465d" // setWithdrawalDelay
        hex"afffb933a28207e611e8a4ba9b33465c373b3fb2097ade5f915e0a6dc5e811c4" // setConfigDelay
        hex"c1279c9b88914540fe2ee174f84a88f8cbf53157de71be76c9890b01354505e7" // setExecutionWindow
        hex"8022131f1b5de9aadb365d64bfd3b1d78b38fdb83ef41018316f661b6281c365" // addGuardian
        hex"5cdb4bc7ea147802e5a227ce45f35e3b2a4b3747231f3068e6fcbf0bee73cc89" // removeGuardian
        hex"36efd40f154513713fc215881ebb9a98ee4298ee0f5cdb606a4a63bca6e7eb2b" // replaceGuardian
        hex"07b3867c211e6c7585ce4f9b77287bb791369b114feb95d59a7710df96d46eaa" // setGuardianThreshold
        hex"faf4138cd6e2bb0ed6a8e33aa6225b57fb17863df573f4ce739d9b264d973c0f" // setCouncilThreshold
        hex"c60accb8fc932bf5618e2f8501f5ef7425306cbebb67375236601a9af354b5ad" // setLongDelay
        hex"1f734fb9d1e0ba5e8485f65a9261ef50a3cd4a16678273920a066a1c02dc31fa" // setCoolOff
        hex"132a5556f0bb7a4084fcd58005146dd909db5cf6af5bcd4d9a17fd5749c02a59" // setRecoveryDelay
        hex"9f326cd2079c099a01ab8268ceb3aea4646be83e8dfbe0173cccfd70cff730aa" // setCouncilDelay
        hex"5d71e137de0b35e6db6228be742fdc837c51e8bbe7705abcf0d1f6a62bd74f7e" // setMaxFreeze
        hex"4690e2e6bcab653c19b8ad1b287af4b3be9ab2bbb0d7da73407b77e27d77a33c" // setFreezeCooldown
        hex"feffef265c5951dfb6e2bb1ce0cd0b988464721b36609774a0a030641d225061" // setVetoQuietPeriod
        hex"f07590d26a976d80a07a7911f8000a776f4bcd2de9d7fe26b6a68a3210794a0a" // setOutflowLimit
        hex"87a27b8aaa1c1f744810753716f2f0dcfb20b7f8cc5f91e8c350b9c90d8f217d" // allowDestination
        hex"01330fb6e2becfa3d3dc0afff4ea170ba572b8a035dbad5b2a6ba5e1f60ff6d3" // disallowDestination
        hex"e55d6588d2f8075250a77ff68146dac1819c8cd9b2465ffe1497c68c374a169b"; // setAllowlistEnabled

    /// @notice keccak256 of the action's EIP-712 name, e.g. keccak256("addSigner").
    /// @param action The action.
    /// @return nameHash keccak256 of its name.
    function actionNameHash(ConfigAction action) internal pure returns (bytes32 nameHash) {
        bytes memory table = ACTION_NAME_HASHES;
        // In range: every ConfigAction has an entry (an out-of-range enum cannot be decoded).
        uint256 offset = uint256(action) * 32;
        // One word load from the table (a bytes32 slice would copy and bounds-check).
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            nameHash := mload(add(add(table, 0x20), offset))
        }
    }

    /// @notice The action's EIP-712 name (the source of ACTION_NAME_HASHES).
    /// @param action The action.
    /// @return Its camelCase name, e.g. "addSigner".
    function actionName(ConfigAction action) internal pure returns (string memory) {
        string[23] memory names = [
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
            "setVetoQuietPeriod",
            "setOutflowLimit",
            "allowDestination",
            "disallowDestination",
            "setAllowlistEnabled"
        ];
        return names[uint256(action)];
    }
}
